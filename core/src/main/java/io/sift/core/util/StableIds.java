package io.sift.core.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic ids derived from content, so that replays, restarts and parallel instances produce the same ids
 * and at-least-once delivery stays idempotent.
 */
public final class StableIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * One digest per thread, reset for each id: looking SHA-256 up among the security providers for every id was
     * half the cost of an id (ids are made per anomaly version, incident and health record).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    });

    private StableIds() {}

    /** A 20-hex-digit (80-bit) id from the parts, prefixed, e.g. {@code inc-3f2a...}. */
    public static String of(String prefix, String... parts) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        for (String part : parts) {
            byte[] bytes = (part == null ? "\u0000" : part).getBytes(StandardCharsets.UTF_8);
            sha.update(bytes);
            sha.update((byte) 0x1f); // unit separator: ("ab","c") and ("a","bc") differ
        }
        byte[] digest = sha.digest();
        StringBuilder id = new StringBuilder(prefix.length() + 21).append(prefix).append('-');
        for (int i = 0; i < 10; i++) {
            id.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
        }
        return id.toString();
    }
}

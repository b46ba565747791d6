package io.sift.testing;

import java.nio.ByteBuffer;

/** Byte helpers for tests that look into encoded records and dead-letter envelopes. */
public final class Bytes {

    private Bytes() {}

    /** The remaining bytes of the buffer (its position untouched), or null for null. */
    public static byte[] of(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Where the needle first starts in the haystack; fails the test when it is absent. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}

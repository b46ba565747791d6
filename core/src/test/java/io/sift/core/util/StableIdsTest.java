package io.sift.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StableIdsTest {

    /** The id by its definition: SHA-256 of the parts, each followed by 0x1f (null as NUL), first 10 bytes in hex. */
    private static String defined(String prefix, String... parts) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String part : parts) {
            sha.update((part == null ? "\u0000" : part).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0x1f);
        }
        byte[] digest = sha.digest();
        return prefix + "-" + HexFormat.of().formatHex(digest, 0, 10);
    }

    @Test
    void idsFollowTheirDefinitionCallAfterCall() throws Exception {
        assertEquals("inc-", StableIds.of("inc", "prod", "a").substring(0, 4));
        for (int i = 0; i < 3; i++) {
            assertEquals(defined("inc", "prod", "an-1"), StableIds.of("inc", "prod", "an-1"));
            assertEquals(defined("fp", "prod", null, "ü"), StableIds.of("fp", "prod", null, "ü"));
            assertEquals(defined("x"), StableIds.of("x"));
        }
        assertNotEquals(StableIds.of("p", "ab", "c"), StableIds.of("p", "a", "bc"));
    }

    @Test
    void threadsGetTheSameIds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            java.util.List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (!StableIds.of("inc", "env", Integer.toString(i)).equals(defined("inc", "env",
                                Integer.toString(i)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertEquals(true, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

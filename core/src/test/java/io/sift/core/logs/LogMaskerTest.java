package io.sift.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogMaskerTest {

    private final LogMasker all = new LogMasker(EnumSet.allOf(MaskRule.class));

    private String mask(LogMasker masker, String line) {
        return String.join(" ", masker.tokens(line));
    }

    @Test
    void masksEachKindOfVariable() {
        assertEquals("GET <*> from <*>", mask(all, "GET https://example.org/a?b=1 from 10.1.2.3"));
        assertEquals("mail to <*> failed", mask(all, "mail to ops@example.org failed"));
        assertEquals("[instance: <*>] Claim successful",
                mask(all, "[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Claim successful"));
        assertEquals("client <*> connected", mask(all, "client /10.10.34.11:45307 connected"));
        assertEquals("proxy <*> open", mask(all, "proxy proxy.cse.cuhk.edu.hk:5070 open"));
        assertEquals("Removing <*>", mask(all, "Removing /var/lib/nova/instances/_base/a489c868f0c3"));
        assertEquals("session <*> expired", mask(all, "session 0x14ed93111f20005 expired"));
        assertEquals("hash <*>", mask(all, "hash a489c868f0c37da93b76227c91bb03908ac0e742"));
        assertEquals("took <*> and <*>", mask(all, "took 250ms and 1.5s"));
        assertEquals("size <*> of <*> used <*>", mask(all, "size 64172MB of -1 used 45%"));
        assertEquals("block <*> served", mask(all, "block blk_-1608999687919862906 served"));
        assertEquals("at <*> <*> <*> <*> <*> <*> on May", mask(all, "at Thu Aug 25 13:12:11 PDT 2005 on May"));
        assertEquals("host '<*>' synced", mask(all, "host 'cp-1 slow' synced"));
        assertEquals("chip <*>", mask(all, "chip FF:F2:9F:16:E2:2D"));
    }

    @Test
    void keepsNamesThatCarryDigits() {
        assertEquals("via interface eth0", mask(all, "via interface eth0"));
        assertEquals("tree C1 wire", mask(all, "tree C1 wire"));
        assertEquals("jk2_init() Found child <*>", mask(all, "jk2_init() Found child 6725"));
        assertEquals("fpr29=<*> PSR0=<*>", mask(all, "fpr29=0x1f PSR0=00800000"));
        assertEquals("generating core.<*>", mask(all, "generating core.1234"));
        assertEquals("is deprecated. Instead, use mapreduce.task.id",
                mask(all, "is deprecated. Instead, use mapreduce.task.id"));
    }

    @Test
    void masksInsideStructuredTokensAndKeepsTheStructure() {
        assertEquals("phys_ram=<*> used_ram=<*> pci_stats=[]",
                mask(all, "phys_ram=64172MB used_ram=2560MB pci_stats=[]"));
        assertEquals("ciod: LOGIN chdir(<*>) failed", mask(all, "ciod: LOGIN chdir(/bgl/home/x/run) failed"));
        assertEquals("Took <*> seconds.", mask(all, "Took 19.05 seconds."));
        assertEquals("(estimated size <*>, free <*>)", mask(all, "(estimated size 5.2 KB, free 317.0 KB)"));
        assertEquals("server: <*>. Already", mask(all, "server: msra-sa-41/10.190.173.170:9000. Already"));
    }

    @Test
    void aSwitchedOffRuleLeavesItsVariablesAlone() {
        LogMasker numbersOnly = new LogMasker(EnumSet.of(MaskRule.NUMBER));
        assertEquals("took <*> ms at /var/log/x", mask(numbersOnly, "took 42 ms at /var/log/x"));
        LogMasker none = new LogMasker(EnumSet.noneOf(MaskRule.class));
        assertEquals("took 42 ms at 10.0.0.1", mask(none, "took 42 ms at 10.0.0.1"));
        assertEquals("http:// and // stay", mask(all, "http:// and // stay"));
        LogMasker noQuotes = new LogMasker(EnumSet.complementOf(EnumSet.of(MaskRule.QUOTED)));
        assertEquals("service 'sparkDriver' on port <*>.",
                mask(noQuotes, "service 'sparkDriver' on port 40984."));
    }

    @Test
    void splitsOnAnyWhitespaceAndDropsEmptyTokens() {
        assertEquals(List.of("a", "<*>", "b"), all.tokens("  a \t 42   b  "));
        assertEquals(List.of(), all.tokens("   "));
    }
}

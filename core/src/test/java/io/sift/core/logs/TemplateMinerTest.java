package io.sift.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.util.StableIds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    private final TemplateMiner miner = new TemplateMiner(MinerConfig.defaults());

    private MineResult mine(TemplateMinerState state, String line) {
        return miner.mine(state, line, state.lines * 1000);
    }

    @Test
    void linesOfOneEventShareATemplateWithTheirVariablesMasked() {
        TemplateMinerState state = new TemplateMinerState();
        MineResult first = mine(state, "Received block blk_123 of size 67108864 from /10.251.42.84");
        MineResult second = mine(state, "Received block blk_-99 of size 1024 from /10.250.19.102");
        assertTrue(first.isNew());
        assertEquals(MineResult.Outcome.MATCHED, second.outcome());
        assertSame(first.template(), second.template());
        assertEquals("Received block <*> of size <*> from <*>", second.template().text());
        assertEquals(2, second.template().count);
        assertEquals(1, state.templates.size());
    }

    @Test
    void aFewAlternativeWordsStaySeparateEvents() {
        TemplateMinerState state = new TemplateMinerState();
        for (String verb : List.of("Paused", "Resumed", "Started", "Stopped")) {
            for (int i = 0; i < 3; i++) {
                mine(state, "[instance: 96abccce-8d1f-4e07-b6d1-4b2ab87e23b" + i + "] VM " + verb
                        + " (Lifecycle Event)");
            }
        }
        assertEquals(4, state.templates.size());
    }

    @Test
    void manyDistinctWordsInOnePlaceBecomeAVariableAndTheirTemplatesMerge() {
        TemplateMinerState state = new TemplateMinerState();
        List<MinedTemplate> joined = new ArrayList<>();
        for (String user : List.of("cyrus", "news", "cyrus", "test", "root", "news", "guest", "admin")) {
            joined.add(mine(state, "session opened for user " + user + " by (uid=0)").template());
        }
        assertEquals(1, state.templates.size());
        MinedTemplate merged = state.templates.get(0);
        assertEquals("session opened for user <*> by (uid=<*>)", merged.text());
        assertEquals(8, merged.count);
        for (MinedTemplate template : joined) {
            assertSame(merged, template.current(), "every line's template resolves to the merged one");
        }
    }

    @Test
    void aLineShowingAVariableWidensTheTemplateWhoseWordItReplaces() {
        TemplateMinerState state = new TemplateMinerState();
        MineResult word = mine(state, "ciod: LOGIN chdir(pwd) failed: No such file or directory");
        MineResult path = mine(state, "ciod: LOGIN chdir(/home/x/run) failed: No such file or directory");
        assertEquals(MineResult.Outcome.GENERALISED, path.outcome());
        assertSame(word.template(), path.template());
        assertEquals(word.template().id, path.template().id);
        assertNotEquals(path.previousId(), path.template().id);
        assertEquals("ciod: LOGIN chdir(<*>) failed: No such file or directory", path.template().text());
        assertEquals(MineResult.Outcome.MATCHED, mine(state, "ciod: LOGIN chdir(tmp) failed: No such file or directory")
                .outcome());
    }

    @Test
    void templateIdsDeriveFromTheTextSoEveryInstanceAgrees() {
        List<String> lines = List.of("Verification succeeded for blk_1", "Deleting block blk_2 file /a/b",
                "Verification succeeded for blk_3");
        TemplateMinerState one = new TemplateMinerState();
        TemplateMinerState other = new TemplateMinerState();
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            ids.add(mine(one, line).template().id);
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            assertEquals(ids.get(i), mine(other, lines.get(i)).template().id);
        }
        assertEquals(StableIds.of("tpl", "Verification succeeded for <*>"), ids.get(0));
    }

    @Test
    void aRestoredStateWithoutItsIndexMinesAsTheOriginalWould() {
        TemplateMinerState original = new TemplateMinerState();
        mine(original, "Starting executor ID 5 on host mesos-slave-07");
        mine(original, "Got assigned task 12");
        // What Flink's POJO serializer restores: the public fields, not the transient index.
        TemplateMinerState restored = new TemplateMinerState();
        restored.lines = original.lines;
        restored.created = original.created;
        restored.evictions = original.evictions;
        for (MinedTemplate template : original.templates) {
            MinedTemplate copy = new MinedTemplate();
            copy.id = template.id;
            copy.tokens = new ArrayList<>(template.tokens);
            copy.runs = new ArrayList<>(template.runs);
            copy.count = template.count;
            copy.lastUsed = template.lastUsed;
            copy.firstSeen = template.firstSeen;
            copy.lastSeen = template.lastSeen;
            restored.templates.add(copy);
        }
        MineResult afterRestore = mine(restored, "Got assigned task 13");
        MineResult uninterrupted = mine(original, "Got assigned task 13");
        assertEquals(uninterrupted.outcome(), afterRestore.outcome());
        assertEquals(uninterrupted.template().id, afterRestore.template().id);
        assertEquals(2, afterRestore.template().count);
    }

    @Test
    void theMemoryCapEvictsTheLeastRecentlyUsedTemplateAndCountsIt() {
        TemplateMiner capped = new TemplateMiner(MinerConfig.defaults().withMaxTemplates(2));
        TemplateMinerState state = new TemplateMinerState();
        capped.mine(state, "alpha event happened", 1);
        capped.mine(state, "beta event happened twice over", 2);
        capped.mine(state, "alpha event happened", 3);
        MineResult third = capped.mine(state, "gamma is a different event altogether here", 4);
        assertTrue(third.isNew());
        assertNotNull(third.evictedId());
        assertEquals(StableIds.of("tpl", "beta event happened twice over"), third.evictedId());
        assertEquals(2, state.templates.size());
        assertEquals(1, state.evictions);
        assertEquals(3, state.created);
        assertTrue(capped.mine(state, "beta event happened twice over", 5).isNew(), "an evicted template is forgotten");
        assertEquals(2, state.evictions);
    }

    @Test
    void runsOfValuesCollapseForGroupingButKeepTheirLengthInTheText() {
        TemplateMinerState state = new TemplateMinerState();
        MineResult fans = mine(state, "Fan speeds ( 3552 3534 3375 **** 3515 3479 )");
        assertEquals("Fan speeds ( <*> <*> <*> **** <*> <*> )", fans.template().text());
        assertEquals(List.of("Fan", "speeds", "(", "<*>", "****", "<*>", ")"), fans.template().tokens);
        MineResult blocks = mine(state, "BLOCK* ask 10.0.0.1 to delete blk_1 blk_2");
        MineResult moreBlocks = mine(state, "BLOCK* ask 10.0.0.2 to delete blk_3 blk_4 blk_5");
        assertSame(blocks.template(), moreBlocks.template());
        assertEquals("BLOCK* ask <*> to delete <*>", moreBlocks.template().text());
    }

    @Test
    void longLinesAreCutAtMaxTokens() {
        TemplateMiner capped = new TemplateMiner(MinerConfig.defaults().withMaxTokens(4));
        TemplateMinerState state = new TemplateMinerState();
        MineResult a = capped.mine(state, "one two three four five six", 1);
        MineResult b = capped.mine(state, "one two three nine ten", 2);
        assertSame(a.template(), b.template());
        assertEquals("one two three <*>", b.template().text());
        assertNull(b.previousId());
    }

    @Test
    void theFirstWordIsNeverTurnedIntoAVariableByDistinctWords() {
        TemplateMinerState state = new TemplateMinerState();
        for (String command : List.of("boot", "wait", "halt", "risBoot", "clusterAddMember", "bootGenvmunix")) {
            mine(state, command + " (command 2145)");
        }
        assertEquals(6, state.templates.size());
    }

    @Test
    void aNewTemplateOneWordAwayFromAKnownOneIsAVariantNotANovelty() {
        TemplateMinerState state = new TemplateMinerState();
        MineResult known = mine(state, "Retrying call to users (attempt 2/3) after 503 Service Unavailable");
        assertTrue(known.isNovel());
        MineResult variant = mine(state, "Retrying call to pricing (attempt 2/3) after 503 Service Unavailable");
        assertTrue(variant.isNew());
        assertEquals(known.template().id, variant.variantOf());
        assertTrue(!variant.isNovel());
        MineResult novel = mine(state, "java.lang.OutOfMemoryError: Java heap space");
        assertTrue(novel.isNovel());
        assertNull(novel.variantOf());
    }

    @Test
    void patternTokensMatchTheTextTheirWildcardsStandFor() {
        assertTrue(TemplateMiner.matches("user=<*>", "user=root"));
        assertTrue(TemplateMiner.matches("<*>:<*>", "a:b"));
        assertTrue(TemplateMiner.matches("a<*>b<*>c", "aXbYc"));
        assertTrue(TemplateMiner.matches("<*>", "anything"));
        assertTrue(!TemplateMiner.matches("user=<*>", "uid=0"));
        assertTrue(!TemplateMiner.matches("a<*>bc", "ab"));
        assertEquals("user=<*>", TemplateMiner.variableOf(new java.util.LinkedHashSet<>(List.of("user=root",
                "user=guest"))));
        assertEquals("<*>,", TemplateMiner.variableOf(new java.util.LinkedHashSet<>(List.of("boot,", "halt,"))));
    }
}

package io.sift.eval.loghub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.logs.MineResult;
import io.sift.core.logs.MinedTemplate;
import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateMiner;
import io.sift.core.logs.TemplateMinerState;
import io.sift.eval.EvalData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The template miner's lookup index changes how fast a line finds its template, never which: over the Loghub systems
 * and synthetic template storms, {@link TemplateMiner} and the scan it replaced ({@link ScanTemplateMiner}) give every
 * line the same outcome, template id and text, generalised and evicted ids and variant, and hold the same templates
 * (counts, runs, recency, times). Both sides are "restored" now and then (the public fields copied into a fresh
 * state, as Flink's POJO serializer does), so the index rebuilt after a restore is held to the same.
 */
class MinerEquivalenceTest {

    /** Lines between two restores (a prime, so restores fall at varied points of the streams). */
    private static final int RESTORE_EVERY = 997;

    @Test
    void everyLoghubSystemMinesToTheSameTemplatesLineByLine() {
        List<LoghubSystem> systems = LoghubSystem.discover(EvalData.dataset("loghub"));
        assertEquals(8, systems.size(), "the shared data holds eight Loghub systems");
        long lines = 0;
        for (LoghubSystem system : systems) {
            lines += compare(system.name(), MinerConfig.defaults(), system.contents(), RESTORE_EVERY);
        }
        assertEquals(16_000, lines);
    }

    @Test
    void allLoghubSystemsInterleavedInOneStateUnderATightCapMineTheSame() {
        List<LoghubSystem> systems = LoghubSystem.discover(EvalData.dataset("loghub"));
        List<String> interleaved = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            for (LoghubSystem system : systems) {
                if (i < system.contents().size()) {
                    interleaved.add(system.contents().get(i));
                }
            }
        }
        // A cap well below the ~435 templates of the systems: evictions all along, and templates learned again.
        for (int cap : new int[] {25, 150}) {
            compare("interleaved, cap " + cap, MinerConfig.defaults().withMaxTemplates(cap), interleaved,
                    RESTORE_EVERY);
        }
    }

    @Test
    void aStormOfNewTemplatesMinesTheSame() {
        List<String> storm = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String w = word(i);
            storm.add("op" + w + " stage" + w + " step" + w + " phase" + w);
        }
        compare("storm of distinct templates", MinerConfig.defaults().withMaxTemplates(2_000), storm,
                RESTORE_EVERY);
    }

    /**
     * A storm of lines that share words in some places and vary in others (a few alternatives, or many values, in
     * one or two places; variables and partly variable words such as {@code user=<*>}; lines of several lengths), so
     * that lines match, widen templates, merge siblings into variables, fold covered templates and evict.
     */
    @Test
    void aStormOfRelatedTemplatesThatMatchWidenMergeAndEvictMinesTheSame() {
        for (long seed = 1; seed <= 4; seed++) {
            Random random = new Random(seed);
            List<String> storm = new ArrayList<>();
            String[] verbs = {"open", "close", "read", "write", "sync", "flush", "retry", "drop"};
            for (int i = 0; i < 12_000; i++) {
                StringBuilder line = new StringBuilder();
                int length = 3 + random.nextInt(5);
                line.append(verbs[random.nextInt(random.nextInt(verbs.length) + 1)]);
                for (int p = 1; p < length; p++) {
                    line.append(' ');
                    int kind = random.nextInt(10);
                    if (kind < 4) {
                        line.append("w").append(p); // a constant word of this place
                    } else if (kind < 6) {
                        line.append(word(random.nextInt(3 + p * p))); // a few alternatives, more further right
                    } else if (kind < 7) {
                        line.append(random.nextInt(100_000)); // masked as a variable
                    } else if (kind < 8) {
                        line.append("user=").append(word(random.nextInt(12)));
                    } else if (kind < 9) {
                        line.append("path=/srv/").append(random.nextInt(50)).append("/x");
                    } else {
                        line.append(word(random.nextInt(2_000))); // many values
                    }
                }
                storm.add(line.toString());
            }
            compare("related storm, seed " + seed, MinerConfig.defaults().withMaxTemplates(300), storm, 1_499);
            compare("related storm, seed " + seed + ", no restore", MinerConfig.defaults().withMaxTemplates(40),
                    storm, Integer.MAX_VALUE);
        }
    }

    /** Mines the lines with both miners, compares each line's result and, now and then, the whole state. */
    private static int compare(String what, MinerConfig config, List<String> lines, int restoreEvery) {
        TemplateMiner miner = new TemplateMiner(config);
        ScanTemplateMiner reference = new ScanTemplateMiner(config);
        TemplateMinerState state = new TemplateMinerState();
        TemplateMinerState expectedState = new TemplateMinerState();
        int generalised = 0;
        int created = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            long time = 1_000L * i;
            MineResult actual = miner.mine(state, line, time);
            MineResult expected = reference.mine(expectedState, line, time);
            String where = what + ", line " + (i + 1) + " \"" + line + "\"";
            assertEquals(describe(expected), describe(actual), where);
            generalised += expected.outcome() == MineResult.Outcome.GENERALISED ? 1 : 0;
            created += expected.isNew() ? 1 : 0;
            if ((i + 1) % 500 == 0 || i == lines.size() - 1) {
                assertEquals(describe(expectedState), describe(state), where);
            }
            if ((i + 1) % restoreEvery == 0) {
                state = restored(state);
                expectedState = restored(expectedState);
            }
        }
        assertTrue(created > 0, what + ": templates were created");
        System.out.printf("%s: %,d lines, %,d new templates, %,d generalised, %,d evictions, %,d templates kept%n",
                what, lines.size(), created, generalised, expectedState.evictions, expectedState.templates.size());
        return lines.size();
    }

    private static String describe(MineResult result) {
        return result.outcome() + " " + describe(result.template()) + " previous=" + result.previousId()
                + " evicted=" + result.evictedId() + " variantOf=" + result.variantOf();
    }

    private static String describe(MinedTemplate t) {
        return t.id + " [" + t.text() + "] tokens=" + t.tokens + " runs=" + t.runs + " count=" + t.count
                + " lastUsed=" + t.lastUsed + " seen=" + t.firstSeen + ".." + t.lastSeen;
    }

    private static String describe(TemplateMinerState state) {
        StringBuilder text = new StringBuilder("lines=" + state.lines + " created=" + state.created + " evictions="
                + state.evictions);
        for (MinedTemplate template : state.templates) {
            text.append('\n').append(describe(template));
        }
        return text.toString();
    }

    /** What Flink's POJO serializer restores: the public fields, in a fresh state without the derived index. */
    private static TemplateMinerState restored(TemplateMinerState original) {
        TemplateMinerState copy = new TemplateMinerState();
        copy.lines = original.lines;
        copy.created = original.created;
        copy.evictions = original.evictions;
        for (MinedTemplate template : original.templates) {
            MinedTemplate t = new MinedTemplate();
            t.id = template.id;
            t.tokens = new ArrayList<>(template.tokens);
            t.runs = new ArrayList<>(template.runs);
            t.count = template.count;
            t.lastUsed = template.lastUsed;
            t.firstSeen = template.firstSeen;
            t.lastSeen = template.lastSeen;
            copy.templates.add(t);
        }
        return copy;
    }

    /** A word of letters g-z only (never masked as a number or hex), different for every i. */
    private static String word(int i) {
        StringBuilder w = new StringBuilder();
        do {
            w.append((char) ('g' + i % 20));
            i /= 20;
        } while (i > 0);
        return w.toString();
    }
}

package io.sift.jobs.bench;

import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateMiner;
import io.sift.core.logs.TemplateMinerState;
import io.sift.eval.EvalData;
import io.sift.eval.loghub.LoghubSystem;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.LogRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Log template mining alone: Sift's miner (default configuration, one state per service as the job keys it) over
 * the Loghub sample lines, interleaved across systems as a shared log stream would be. Replayed with the templates
 * already learned ("warm": what a long-running job mostly does) and, as a variant, from empty states every pass
 * ("cold": learning included). Baseline: tokenise on blanks, mask tokens holding a digit, group by the joined key.
 */
public final class MinerBench {

    public static final String STAGE = "miner";

    /** Lines per timed pass of the warm replay. */
    private static final int LINES_PER_PASS = 20_000;
    /** Copies of every service's state held when measuring heap (megabytes, not kilobytes, to read). */
    private static final int HEAP_COPIES = 40;

    private MinerBench() {}

    public static StageReport run(BenchSettings settings) {
        LogInput input = LogInput.load();
        MinerConfig config = MinerConfig.defaults();
        StageReport report = new StageReport(STAGE, "Log template mining alone (plain Java, one thread): "
                + "TemplateMiner.mine per line, one state per service");
        WarmMinerLoop warm = new WarmMinerLoop(input, config);
        StormMinerLoop storm = new StormMinerLoop(config);
        List<Throughput.Workload> workloads = List.of(warm, new NaiveGroupingLoop(input),
                new ColdMinerLoop(input, config), storm);
        for (Measurement m : Throughput.alternate(settings.warmUpSeconds(), settings.seconds(), settings.rounds(),
                workloads)) {
            report.add(m);
        }
        int templates = warm.templateCount();
        report.figure("services (log sources)", input.services.size(), "services")
                .figure("lines per replay", input.lines.length, "lines")
                .figure("templates mined (all services)", templates, "templates");

        HeapFigures heap = heapPerTemplate(input, config);
        report.figure("heap per template (state, index, shape cache)", heap.perTemplate, "bytes")
                .figure("heap per service (its state)", heap.perService, "bytes")
                .figure("templates per service (average)", (double) heap.templates / heap.services, "templates")
                .figure("checkpointed bytes per template (Flink POJO serializer)", heap.serializedPerTemplate, "bytes")
                .note("input: " + input.origin)
                .note("baseline: split on blanks, tokens with a digit become <*>, count per joined key in a HashMap")
                .note(String.format(Locale.ROOT, "storm: every line a template never seen, in one service holding"
                        + " %,d templates (the cap), so every line also evicts one", config.maxTemplates()))
                .note(String.format(Locale.ROOT, "heap measured on %d copies of the %d service states (used heap after"
                        + " GC); a state's lookup index and shape cache count towards its templates",
                        HEAP_COPIES, input.services.size()));
        return report;
    }

    /** Log lines of several services, interleaved round-robin in the order each service logged them. */
    static final class LogInput {
        final List<String> services;
        final String[] lines;
        final int[] serviceOfLine;
        final String origin;

        private LogInput(Map<String, List<String>> byService, String origin) {
            this.services = new ArrayList<>(byService.keySet());
            this.origin = origin;
            List<String> lines = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            List<List<String>> columns = new ArrayList<>(byService.values());
            int longest = columns.stream().mapToInt(List::size).max().orElse(0);
            for (int row = 0; row < longest; row++) {
                for (int service = 0; service < columns.size(); service++) {
                    if (row < columns.get(service).size()) {
                        lines.add(columns.get(service).get(row));
                        owners.add(service);
                    }
                }
            }
            this.lines = lines.toArray(String[]::new);
            this.serviceOfLine = owners.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The Loghub samples when the shared data is there, else lines of a generated estate. */
        static LogInput load() {
            try {
                Path loghub = EvalData.dataset("loghub");
                Map<String, List<String>> byService = new LinkedHashMap<>();
                for (LoghubSystem system : LoghubSystem.discover(loghub)) {
                    byService.put(system.name(), system.contents());
                }
                int lines = byService.values().stream().mapToInt(List::size).sum();
                return new LogInput(byService, String.format(Locale.ROOT, "Loghub samples from %s (%d systems, %d"
                        + " lines, interleaved)", loghub.toAbsolutePath().normalize(), byService.size(), lines));
            } catch (IllegalArgumentException | UncheckedIOException missing) {
                return generated(20_000, "no Loghub data (" + missing.getMessage() + "); ");
            }
        }

        static LogInput generated(int wanted, String why) {
            Map<String, List<String>> byService = new LinkedHashMap<>();
            int count = 0;
            for (Iterator<LogRecord> it = ScenarioGenerator.builder().seed(7).services(24)
                    .duration(Duration.ofHours(12)).randomFaults(2).build().generate().logIterator();
                    it.hasNext() && count < wanted; count++) {
                LogRecord log = it.next();
                byService.computeIfAbsent(log.getResource().getService(), s -> new ArrayList<>()).add(log.getBody());
            }
            return new LogInput(byService, why + "generated log lines of a 24-service estate (" + count + " lines, "
                    + byService.size() + " services)");
        }
    }

    /**
     * Replays the log lines one at a time, in a loop: each step handles the line under the cursor, then moves on (after
     * the last line, the first again). Subclasses say what handling a line means.
     */
    abstract static class LineLoop implements Throughput.Workload {
        final LogInput input;
        private final String name;
        private final Measurement.Role role;
        private final int linesPerPass;
        private int cursor;

        LineLoop(LogInput input, String name, Measurement.Role role, int linesPerPass) {
            this.input = input;
            this.name = name;
            this.role = role;
            this.linesPerPass = linesPerPass;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Measurement.Role role() {
            return role;
        }

        @Override
        public long pass() {
            for (int i = 0; i < linesPerPass; i++) {
                step();
            }
            return linesPerPass;
        }

        /** Handles the next line. */
        void step() {
            if (cursor == 0) {
                replayStarts();
            }
            handle(input.serviceOfLine[cursor], input.lines[cursor]);
            if (++cursor == input.lines.length) {
                cursor = 0;
            }
        }

        /** Called before the first line of every replay. */
        void replayStarts() {}

        abstract void handle(int service, String line);

        static TemplateMinerState[] emptyStates(int services) {
            TemplateMinerState[] states = new TemplateMinerState[services];
            for (int i = 0; i < states.length; i++) {
                states[i] = new TemplateMinerState();
            }
            return states;
        }
    }

    /** The miner with templates learned: the first pass learns, later passes replay the same lines. */
    static final class WarmMinerLoop extends LineLoop {
        private final TemplateMiner miner;
        private final TemplateMinerState[] states;
        private long eventTime;
        long newTemplates;

        WarmMinerLoop(LogInput input, MinerConfig config) {
            super(input, "Sift TemplateMiner (templates learned)", Measurement.Role.SUBJECT, LINES_PER_PASS);
            this.miner = new TemplateMiner(config);
            this.states = emptyStates(input.services.size());
        }

        @Override
        void handle(int service, String line) {
            if (miner.mine(states[service], line, eventTime++).isNew()) {
                newTemplates++;
            }
        }

        int templateCount() {
            int templates = 0;
            for (TemplateMinerState state : states) {
                templates += state.templates.size();
            }
            return templates;
        }
    }

    /**
     * A template storm: one service at its template cap, every line a new template (letters only, so nothing is
     * masked) that evicts the least recently used one. Its cost per line must not grow with the templates held.
     */
    static final class StormMinerLoop implements Throughput.Workload {
        private static final int LINES_PER_PASS = 20_000;
        private final TemplateMiner miner;
        private final TemplateMinerState state = new TemplateMinerState();
        private int next;

        StormMinerLoop(MinerConfig config) {
            this.miner = new TemplateMiner(config);
            while (next < config.maxTemplates()) {
                mineNext(); // fill up to the cap, untimed
            }
        }

        @Override
        public String name() {
            return String.format(Locale.ROOT, "Sift TemplateMiner (template storm, %,d held)",
                    miner.config().maxTemplates());
        }

        @Override
        public Measurement.Role role() {
            return Measurement.Role.VARIANT;
        }

        @Override
        public long pass() {
            for (int i = 0; i < LINES_PER_PASS; i++) {
                mineNext();
            }
            return LINES_PER_PASS;
        }

        private void mineNext() {
            StringBuilder word = new StringBuilder();
            int i = next++;
            do {
                word.append((char) ('g' + i % 20));
                i /= 20;
            } while (i > 0);
            if (!miner.mine(state, "op" + word + " stage" + word + " step" + word + " phase" + word, next).isNew()) {
                throw new IllegalStateException("a storm line matched a template: " + word);
            }
        }
    }

    /** The miner from empty states on every pass: every template is learned again. */
    static final class ColdMinerLoop extends LineLoop {
        private final TemplateMiner miner;
        private TemplateMinerState[] states;
        private long eventTime;

        ColdMinerLoop(LogInput input, MinerConfig config) {
            super(input, "Sift TemplateMiner (empty states each pass)", Measurement.Role.VARIANT, input.lines.length);
            this.miner = new TemplateMiner(config);
        }

        @Override
        void replayStarts() {
            states = emptyStates(input.services.size());
        }

        @Override
        void handle(int service, String line) {
            miner.mine(states[service], line, eventTime++);
        }
    }

    /** Digit masking and exact grouping: the least any template miner must do per line. */
    static final class NaiveGroupingLoop extends LineLoop {
        private final List<HashMap<String, long[]>> groups = new ArrayList<>();
        private final StringBuilder key = new StringBuilder(256);

        NaiveGroupingLoop(LogInput input) {
            super(input, "digit-mask + exact group-by (baseline)", Measurement.Role.BASELINE, LINES_PER_PASS);
            for (int i = 0; i < input.services.size(); i++) {
                groups.add(new HashMap<>());
            }
        }

        @Override
        void handle(int service, String line) {
            groups.get(service).computeIfAbsent(maskedKey(line), k -> new long[1])[0]++;
        }

        private String maskedKey(String line) {
            key.setLength(0);
            int length = line.length();
            int i = 0;
            while (i < length) {
                while (i < length && line.charAt(i) == ' ') {
                    i++;
                }
                int start = i;
                boolean digit = false;
                while (i < length && line.charAt(i) != ' ') {
                    digit |= Character.isDigit(line.charAt(i));
                    i++;
                }
                if (i > start) {
                    if (key.length() > 0) {
                        key.append(' ');
                    }
                    if (digit) {
                        key.append("<*>");
                    } else {
                        key.append(line, start, i);
                    }
                }
            }
            return key.toString();
        }
    }

    private record HeapFigures(int services, int templates, double perTemplate, double perService,
            double serializedPerTemplate) {}

    private static HeapFigures heapPerTemplate(LogInput input, MinerConfig config) {
        TemplateMiner miner = new TemplateMiner(config);
        List<TemplateMinerState> states = new ArrayList<>();
        long retained = Machine.retainedHeap(() -> {
            for (int copy = 0; copy < HEAP_COPIES; copy++) {
                TemplateMinerState[] copyStates = new TemplateMinerState[input.services.size()];
                for (int i = 0; i < copyStates.length; i++) {
                    copyStates[i] = new TemplateMinerState();
                }
                for (int i = 0; i < input.lines.length; i++) {
                    miner.mine(copyStates[input.serviceOfLine[i]], input.lines[i], i);
                }
                states.addAll(List.of(copyStates));
            }
            return states;
        });
        int templates = states.stream().mapToInt(s -> s.templates.size()).sum();
        TypeSerializer<TemplateMinerState> serializer = TypeInformation.of(TemplateMinerState.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
        long serialized = 0;
        try {
            for (TemplateMinerState state : states) {
                out.clear();
                serializer.serialize(state, out);
                serialized += out.length();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HeapFigures(states.size(), templates, (double) retained / templates,
                (double) retained / states.size(), (double) serialized / templates);
    }
}

package io.sift.jobs.bench;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.CorrelationState;
import io.sift.core.correlate.Correlator;
import io.sift.jobs.SiftSettings;
import io.sift.schema.Anomaly;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Correlation alone: Sift's correlator (the job's settings) folding an anomaly storm on a large synthetic estate
 * into incidents, with event time advanced after each instant as the Flink operator does on its timers. Baseline:
 * Alertmanager-style grouping by item within the same gap, with dedup by anomaly id and expiry after the same
 * cool-down, but without topology, merging or root-cause ranking.
 */
public final class CorrelatorBench {

    public static final String STAGE = "correlator";

    /** Anomaly versions per replay: many hours of event time, so the start of a lap (empty state) weighs little. */
    private static final int VERSIONS_PER_LAP = 60_000;
    private static final int VERSIONS_PER_PASS = 2_000;
    private static final String ENVIRONMENT = "bench";

    private CorrelatorBench() {}

    public static StageReport run(BenchSettings settings) {
        Instant start = Instant.parse("2025-03-04T08:00:00Z");
        SyntheticEstate estate = SyntheticEstate.build(settings.topologyItems(), 42, ENVIRONMENT, start);
        AnomalyStorm.Shape shape = AnomalyStorm.Shape.defaults();
        List<Anomaly> storm = AnomalyStorm.generate(estate, VERSIONS_PER_LAP, shape, 42, start);
        CorrelationConfig config = SiftSettings.defaults().correlation.toBuilder().defaultEnvironment(ENVIRONMENT)
                .build();
        StageReport report = new StageReport(STAGE, "Correlation alone (plain Java, one thread, one environment):"
                + " Correlator.onAnomaly per anomaly version and advance per event-time instant");
        SiftCorrelatorLoop sift = new SiftCorrelatorLoop(new Correlator(config), estate, storm);
        List<Throughput.Workload> workloads = List.of(sift, new GroupByItemLoop(storm, config));
        for (Measurement m : Throughput.alternate(settings.warmUpSeconds(), settings.seconds(), settings.rounds(),
                workloads)) {
            report.add(m);
        }
        double hours = (storm.get(storm.size() - 1).getTime().toEpochMilli() - start.toEpochMilli()) / 3.6e6;
        report.figure("configuration items in the topology", estate.items.size(), "items")
                .figure("dependency edges", estate.edges, "edges")
                .figure("anomaly versions per lap", storm.size(), "anomalies")
                .figure("event time per lap", hours, "hours")
                .figure("anomaly versions per incident opened (all passes)",
                        (double) sift.anomalies / Math.max(1, sift.opened), "anomalies")
                .figure("incident versions per anomaly version (all passes)",
                        (double) sift.versions / Math.max(1, sift.anomalies), "versions")
                .figure("most incidents held at once (open or in cool-down)", sift.mostHeld, "incidents")
                .note(String.format(Locale.ROOT, "storm: a fault every %d min on a random item, up to %d affected"
                        + " items (dependents within 2 hops), 1-2 series each, 2-4 versions per anomaly; one noise"
                        + " anomaly every %d s", shape.faultEvery().toMinutes(), shape.maxAffected(),
                        shape.noiseEvery().toSeconds()))
                .note("each lap starts from an empty state; the correlator's key is the environment, so one"
                        + " environment is one thread whatever the parallelism");
        return report;
    }

    /** Replays the storm through Sift's correlator; a new lap starts from an empty state. */
    static final class SiftCorrelatorLoop implements Throughput.Workload {
        private final Correlator correlator;
        private final SyntheticEstate estate;
        private final List<Anomaly> storm;
        private CorrelationState state = new CorrelationState();
        private int cursor;
        long anomalies;
        long opened;
        long versions;
        int mostHeld;

        SiftCorrelatorLoop(Correlator correlator, SyntheticEstate estate, List<Anomaly> storm) {
            this.correlator = correlator;
            this.estate = estate;
            this.storm = storm;
        }

        @Override
        public String name() {
            return "Sift Correlator (" + itemsLabel(estate.items.size()) + "-item topology)";
        }

        @Override
        public Measurement.Role role() {
            return Measurement.Role.SUBJECT;
        }

        @Override
        public long pass() {
            for (int i = 0; i < VERSIONS_PER_PASS; i++) {
                step();
            }
            return VERSIONS_PER_PASS;
        }

        /**
         * Folds in the next anomaly version and, when event time moves on after it, advances the correlator to it;
         * after the last version the storm starts again from an empty state.
         */
        void step() {
            Anomaly anomaly = storm.get(cursor);
            count(correlator.onAnomaly(state, anomaly, estate.topology));
            long time = anomaly.getTime().toEpochMilli();
            if (cursor + 1 == storm.size() || storm.get(cursor + 1).getTime().toEpochMilli() > time) {
                count(correlator.advance(state, time, estate.topology));
                mostHeld = Math.max(mostHeld, state.incidents.size());
            }
            anomalies++;
            if (++cursor == storm.size()) {
                cursor = 0;
                state = new CorrelationState();
            }
        }

        private void count(List<Incident> incidents) {
            versions += incidents.size();
            for (Incident incident : incidents) {
                if (incident.getChange() == IncidentChange.OPENED) {
                    opened++;
                }
            }
        }
    }

    static String itemsLabel(int items) {
        return items % 1000 == 0 ? items / 1000 + "k" : Integer.toString(items);
    }

    /** Group by item with a gap, dedup by anomaly id, forget groups after the cool-down. */
    static final class GroupByItemLoop implements Throughput.Workload {
        private final List<Anomaly> storm;
        private final long gapMillis;
        private final long coolDownMillis;
        private Map<String, Group> openByItem = new HashMap<>();
        private Map<String, Group> byAnomaly = new HashMap<>();
        private int cursor;
        long notifications;

        private static final class Group {
            long lastSeen;
            double peakScore;
            int updates;
            final List<String> anomalyIds = new ArrayList<>();
        }

        GroupByItemLoop(List<Anomaly> storm, CorrelationConfig config) {
            this.storm = storm;
            this.gapMillis = config.gapMillis;
            this.coolDownMillis = config.gapMillis + config.quietMillis + config.reopenMillis;
        }

        @Override
        public String name() {
            return "group-by item + dedup (baseline)";
        }

        @Override
        public Measurement.Role role() {
            return Measurement.Role.BASELINE;
        }

        @Override
        public long pass() {
            for (int i = 0; i < VERSIONS_PER_PASS; i++) {
                step();
            }
            return VERSIONS_PER_PASS;
        }

        /** Groups the next anomaly version, expiring groups when event time moves on; restarts after the last. */
        void step() {
            Anomaly anomaly = storm.get(cursor);
            long time = anomaly.getTime().toEpochMilli();
            onAnomaly(anomaly, time);
            if (cursor + 1 == storm.size() || storm.get(cursor + 1).getTime().toEpochMilli() > time) {
                advance(time);
            }
            if (++cursor == storm.size()) {
                cursor = 0;
                openByItem = new HashMap<>();
                byAnomaly = new HashMap<>();
            }
        }

        private void onAnomaly(Anomaly anomaly, long time) {
            Group group = byAnomaly.get(anomaly.getId());
            if (group == null) {
                String item = anomaly.getResource().getService();
                group = openByItem.get(item);
                if (group == null || time > group.lastSeen + gapMillis) {
                    group = new Group();
                    openByItem.put(item, group);
                    notifications++;
                }
                group.anomalyIds.add(anomaly.getId());
                byAnomaly.put(anomaly.getId(), group);
            }
            group.updates++;
            group.lastSeen = Math.max(group.lastSeen, time);
            if (anomaly.getScore() >= group.peakScore + 5) {
                group.peakScore = anomaly.getScore();
                notifications++;
            }
        }

        private void advance(long watermark) {
            for (Iterator<Group> it = openByItem.values().iterator(); it.hasNext(); ) {
                Group group = it.next();
                if (watermark > group.lastSeen + coolDownMillis) {
                    it.remove();
                    group.anomalyIds.forEach(byAnomaly::remove);
                }
            }
        }
    }
}

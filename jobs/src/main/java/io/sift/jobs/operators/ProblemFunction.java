package io.sift.jobs.operators;

import io.sift.core.problem.ProblemDetector;
import io.sift.core.problem.ProblemState;
import io.sift.core.problem.RootCauseFingerprint;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Problem;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by root-cause fingerprint ({@link #key}), holds the recent incidents of that fingerprint and calls the
 * plain-Java {@link ProblemDetector}. The state is dropped by an event-time timer a window after the fingerprint's
 * last settled incident, so fingerprints that never recur cost nothing for long.
 */
public final class ProblemFunction extends KeyedProcessFunction<String, Incident, Problem> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "problems";
    public static final String NAME = "Recurring incidents → problem candidates";

    private final ProblemDetector detector;

    private transient ValueState<ProblemState> problem;
    private transient ValueState<Long> expiry;
    private transient Counter problemVersions;

    public ProblemFunction(ProblemDetector detector) {
        this.detector = detector;
    }

    /** Whether problem detection looks at this incident version at all (settled, not merged, not suppressed, names a cause). */
    public static boolean counts(Incident incident) {
        // An incident that settled inside a maintenance window was expected, not a recurrence of a problem.
        return ProblemDetector.settles(incident) && incident.getStatus() != IncidentStatus.MERGED
                && incident.getSuppressedBy() == null && RootCauseFingerprint.of(incident) != null;
    }

    /** The key: the incident's root-cause fingerprint (only for versions that {@link #counts}). */
    public static String key(Incident incident) {
        return RootCauseFingerprint.of(incident).key();
    }

    @Override
    public void open(OpenContext openContext) {
        problem = getRuntimeContext().getState(
                new ValueStateDescriptor<>("problem", TypeInformation.of(ProblemState.class)));
        expiry = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry", Types.LONG));
        problemVersions = getRuntimeContext().getMetricGroup().counter("problemVersions");
    }

    @Override
    public void processElement(Incident incident, Context ctx, Collector<Problem> out) throws Exception {
        ProblemState state = problem.value();
        if (state == null) {
            state = new ProblemState();
        }
        Problem version = detector.onIncident(state, incident, RootCauseFingerprint.of(incident));
        if (version != null) {
            problemVersions.inc();
            out.collect(version);
        }
        if (state.isEmpty()) {
            return;
        }
        problem.update(state);
        long due = detector.expiry(state);
        Long scheduled = expiry.value();
        if (scheduled == null || scheduled != due) {
            if (scheduled != null) {
                ctx.timerService().deleteEventTimeTimer(scheduled);
            }
            ctx.timerService().registerEventTimeTimer(due);
            expiry.update(due);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Problem> out) throws Exception {
        ProblemState state = problem.value();
        if (state == null || detector.expired(state, timestamp)) {
            problem.clear();
            expiry.clear();
        }
    }
}

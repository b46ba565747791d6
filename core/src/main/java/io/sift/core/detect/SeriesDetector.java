package io.sift.core.detect;

import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The detector of one metric's series: either the robust baseline (state entirely in {@link SeriesState}) or a
 * {@link MetricModel} (state in the model, episodes in {@link SeriesState}), with the gap policy in front and the
 * episode rules behind. The caller keeps both states per series (keyed state in the job) and passes them in.
 */
public final class SeriesDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> names;
    private final BaselineConfig episodes;
    private final RobustBaselineDetector robust;
    private final DetectorConfig model;
    private final GapPolicy gapPolicy;
    private final int maxGapFill;

    SeriesDetector(List<String> names, BaselineConfig episodes, DetectorConfig model, GapPolicy gapPolicy,
            int maxGapFill) {
        this.names = names;
        this.episodes = episodes;
        this.robust = model == null ? new RobustBaselineDetector(episodes) : null;
        this.model = model;
        this.gapPolicy = gapPolicy;
        this.maxGapFill = maxGapFill;
    }

    public List<String> names() {
        return names;
    }

    /** Whether series of this metric need a {@link MetricModel}. */
    public boolean usesModel() {
        return model != null;
    }

    /** A fresh model for a new series (null for the robust baseline). */
    public MetricModel newModel() {
        return model == null ? null : new MetricModel(model);
    }

    /**
     * Scores one sample (after filling the gap before it, as the policy says) and passes on the anomaly versions
     * to emit. Samples not newer than the latest one are ignored.
     */
    public void onSample(SeriesState state, MetricModel metricModel, String seriesKey, MetricPoint point,
            Consumer<Anomaly> out) {
        long time = point.getTime().toEpochMilli();
        boolean seen = state.samples > 0;
        if (seen && time <= state.lastSeen) {
            return;
        }
        if (metricModel != null) {
            metricModel.adoptControls(model); // a model restored from before a settings change takes the new controls
        }
        if (seen && gapPolicy != GapPolicy.SKIP && state.intervalMillis > 0 && maxGapFill > 0) {
            long missing = Math.round((double) (time - state.lastSeen) / state.intervalMillis) - 1;
            long fill = Math.min(missing, maxGapFill);
            double value = gapPolicy == GapPolicy.ZERO ? 0.0 : state.lastValue;
            long step = state.intervalMillis;
            long from = state.lastSeen;
            for (long k = 1; k <= fill; k++) {
                long at = from + k * step;
                if (at >= time) {
                    break;
                }
                MetricPoint filled = MetricPoint.newBuilder(point).setTime(Instant.ofEpochMilli(at)).setValue(value)
                        .build();
                score(state, metricModel, seriesKey, filled, out);
            }
        }
        if (seen) {
            long delta = time - state.lastSeen;
            if (state.intervalMillis == 0 || delta < state.intervalMillis) {
                state.intervalMillis = delta;
            }
        }
        score(state, metricModel, seriesKey, point, out);
    }

    private void score(SeriesState state, MetricModel metricModel, String seriesKey, MetricPoint point,
            Consumer<Anomaly> out) {
        Anomaly anomaly;
        if (robust != null) {
            anomaly = robust.onSample(state, seriesKey, point);
        } else {
            long time = point.getTime().toEpochMilli();
            if (Episodes.levelShiftDue(episodes, state, time)) {
                // The series stayed away for the adoption time: the model's level moves to the episode's level.
                metricModel.adoptLevel(time, state.shift.level, state.shift.mad);
                metricModel.assess(time, point.getValue());
                state.samples++;
                state.lastSeen = time;
                anomaly = Episodes.onLevelShift(state, time);
            } else {
                Assessment a = metricModel.assess(time, point.getValue());
                state.samples++;
                state.lastSeen = time;
                boolean anomalous = a.score() >= model.alertScore;
                Episodes.trackLevel(state, point.getValue(), anomalous, point.getTime().toEpochMilli());
                anomaly = anomalous
                        ? Episodes.onAnomalous(episodes, state, seriesKey, point, a.detector(), a.score(),
                                a.expected(), a.lower(), a.upper(), metricModel.lastSigmas())
                        : Episodes.onNormal(episodes, state, time);
            }
        }
        state.lastValue = point.getValue();
        if (anomaly != null) {
            out.accept(anomaly);
        }
    }

    /** The series fell silent: the closing version of its open episode, or null. */
    public Anomaly onSilence(SeriesState state) {
        return Episodes.onSilence(state);
    }
}

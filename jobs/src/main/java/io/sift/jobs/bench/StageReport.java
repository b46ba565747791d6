package io.sift.jobs.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one bench stage measured: its subject, baseline and variants, extra figures (heap, latency, counts) and
 * notes that say how to read them; or why it was skipped.
 */
public final class StageReport {

    /** A named figure with its unit, e.g. heap per series 212 bytes. */
    public record Figure(String name, double value, String unit) {}

    private final String stage;
    private final String description;
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<Measurement, Double> pairedRatios = new IdentityHashMap<>();
    private String skipped;
    private String loadAverageBefore;
    private String loadAverageAfter;
    private String cpuUse = "";

    public StageReport(String stage, String description) {
        this.stage = stage;
        this.description = description;
    }

    public static StageReport skipped(String stage, String description, String reason) {
        StageReport report = new StageReport(stage, description);
        report.skipped = reason;
        return report;
    }

    public StageReport add(Measurement measurement) {
        measurements.add(measurement);
        return this;
    }

    /**
     * Sets a measurement's per-core ratio to the baseline from alternating slices of the two (the median of the
     * slice pairs' ratios) instead of the ratio of the totals.
     */
    public StageReport pairedRatio(Measurement measurement, double ratio) {
        pairedRatios.put(measurement, ratio);
        return this;
    }

    public StageReport figure(String name, double value, String unit) {
        figures.add(new Figure(name, value, unit));
        return this;
    }

    public StageReport note(String note) {
        notes.add(note);
        return this;
    }

    void loadAverages(String before, String after, String cpuUse) {
        this.loadAverageBefore = before;
        this.loadAverageAfter = after;
        this.cpuUse = cpuUse;
    }

    public String stage() {
        return stage;
    }

    public String description() {
        return description;
    }

    public List<Measurement> measurements() {
        return Collections.unmodifiableList(measurements);
    }

    public List<Figure> figures() {
        return Collections.unmodifiableList(figures);
    }

    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    /** Why the stage did not run, or null when it ran. */
    public String skippedReason() {
        return skipped;
    }

    public String loadAverageBefore() {
        return loadAverageBefore;
    }

    public String loadAverageAfter() {
        return loadAverageAfter;
    }

    /** How busy the machine was during the stage, and how much of it was this JVM (empty off Linux). */
    public String cpuUse() {
        return cpuUse;
    }

    /** The baseline measurement, or null when the stage has none. */
    public Measurement baseline() {
        return measurements.stream().filter(m -> m.role() == Measurement.Role.BASELINE).findFirst().orElse(null);
    }

    /** Records/s of a measurement divided by the baseline's, NaN without a baseline. */
    public double ratioToBaseline(Measurement measurement) {
        Measurement baseline = baseline();
        return baseline == null || baseline.recordsPerSecond() == 0 ? Double.NaN
                : measurement.recordsPerSecond() / baseline.recordsPerSecond();
    }

    /**
     * Records per CPU second of a measurement divided by the baseline's, NaN without a baseline; for a measurement
     * that alternated with its baseline, the median of the alternations' ratios.
     */
    public double ratioToBaselinePerCore(Measurement measurement) {
        Double paired = pairedRatios.get(measurement);
        if (paired != null) {
            return paired;
        }
        Measurement baseline = baseline();
        return baseline == null || baseline.recordsPerCoreSecond() == 0 ? Double.NaN
                : measurement.recordsPerCoreSecond() / baseline.recordsPerCoreSecond();
    }
}

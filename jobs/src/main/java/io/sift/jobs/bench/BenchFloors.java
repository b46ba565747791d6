package io.sift.jobs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The lowest per-core ratio to its same-run baseline that each stage's subject may show ({@code ./sift bench
 * --check}): ratios rather than times, since the machines are shared and noisy. Kept in the repository
 * ({@code jobs/src/main/resources/io/sift/jobs/bench/floors.properties}) and raised when a change makes a stage
 * lastingly faster.
 */
public final class BenchFloors {

    /** The floors that ship with this build. */
    public static final String RESOURCE = "floors.properties";

    /** One stage's verdict. */
    public record Verdict(String stage, double ratio, double floor, boolean passed, String note) {}

    private final Map<String, Double> floors;

    private BenchFloors(Map<String, Double> floors) {
        this.floors = floors;
    }

    /** The floors shipped with this build. */
    public static BenchFloors shipped() {
        try (InputStream in = BenchFloors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bench floors " + RESOURCE + " are missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bench floors " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Floors from a file of {@code stage = ratio} lines. */
    public static BenchFloors read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    static BenchFloors parse(String text, String source) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read bench floors from " + source + ": " + e.getMessage(), e);
        }
        Map<String, Double> floors = new LinkedHashMap<>();
        for (String stage : BenchSuite.stageNames()) {
            String value = properties.getProperty(stage);
            if (value == null) {
                continue;
            }
            try {
                double floor = Double.parseDouble(value.trim());
                if (!(floor > 0)) {
                    throw new NumberFormatException("not positive");
                }
                floors.put(stage, floor);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": the floor of stage '" + stage + "' must be a positive"
                        + " ratio such as 0.4, was '" + value + "'");
            }
        }
        for (String key : properties.stringPropertyNames()) {
            if (!floors.containsKey(key)) {
                throw new IllegalArgumentException(source + ": '" + key + "' is not a bench stage; stages: "
                        + String.join(",", BenchSuite.stageNames()));
            }
        }
        return new BenchFloors(floors);
    }

    /** The stages that have a floor, in suite order. */
    public List<String> stages() {
        return new ArrayList<>(floors.keySet());
    }

    /** The stage's verdict: its subject's per-core ratio to the baseline against the floor. */
    public Verdict judge(StageReport report) {
        Double floor = floors.get(report.stage());
        if (floor == null) {
            return new Verdict(report.stage(), Double.NaN, Double.NaN, true, "no floor");
        }
        Measurement subject = report.measurements().stream()
                .filter(m -> m.role() == Measurement.Role.SUBJECT).findFirst().orElse(null);
        if (subject == null) {
            return new Verdict(report.stage(), Double.NaN, floor, false,
                    report.skippedReason() == null ? "no figures" : report.skippedReason());
        }
        double ratio = report.ratioToBaselinePerCore(subject);
        boolean passed = ratio >= floor;
        return new Verdict(report.stage(), ratio, floor, passed, passed ? "" : String.format(Locale.ROOT,
                "%.0f%% below its floor", 100 * (1 - ratio / floor)));
    }
}

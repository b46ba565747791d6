package io.sift.eval.asd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sift.eval.nab.NabCorpus;
import io.sift.eval.nab.NabProfile;
import io.sift.eval.nab.NabProfileResult;
import io.sift.eval.nab.NabReport;
import io.sift.eval.nab.NabScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores detectors on ASD with NAB's rules: each detector sees a series' train rows then its test rows; its test-row
 * scores are scored against the windows {@link AsdCorpus} derives, every test row counted (no probation), with the
 * threshold optimised over all series, per NAB profile.
 */
public final class AsdEvaluation {

    private AsdEvaluation() {
    }

    /** The scores of every detector, in the order given. */
    public record Report(int series, int windows, List<NabReport> detectors) {

        public NabReport detector(String name) {
            return detectors.stream().filter(d -> d.detector().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no detector " + name));
        }

        public void writeJson(Path file) {
            try {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    public static Report evaluate(AsdCorpus corpus, Map<String, Function<AsdCorpus.Series, double[]>> detectors) {
        NabCorpus nab = corpus.asNab();
        List<NabReport> reports = new ArrayList<>();
        detectors.forEach((name, detector) -> {
            // Series are independent: score them in parallel (the common pool, one thread per core).
            List<double[]> scores = corpus.series().parallelStream().map(detector).toList();
            List<NabProfileResult> results = new ArrayList<>();
            for (NabProfile profile : nab.profiles()) {
                results.add(NabScorer.score(nab, scores, profile, false));
            }
            reports.add(new NabReport(name, results));
        });
        return new Report(corpus.series().size(), nab.labelledWindows(), reports);
    }
}

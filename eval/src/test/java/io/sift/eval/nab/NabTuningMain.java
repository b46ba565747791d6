package io.sift.eval.nab;

import io.sift.core.detect.DetectorConfig;
import io.sift.eval.EvalData;
import java.util.Comparator;

/**
 * Development aid, not a test: evaluates the default configuration with overrides from system properties
 * ({@code -Dd.alpha=0.01}) and prints the scores and the worst series.
 */
public final class NabTuningMain {

    public static void main(String[] args) {
        DetectorConfig.Builder b = DetectorConfig.defaults().toBuilder();
        if (System.getProperty("d.alpha") != null) b.alpha(Double.parseDouble(System.getProperty("d.alpha")));
        if (System.getProperty("d.seasonal") != null) b.seasonality(Boolean.parseBoolean(System.getProperty("d.seasonal")));
        if (System.getProperty("d.seasonalAlpha") != null) b.seasonalAlpha(Double.parseDouble(System.getProperty("d.seasonalAlpha")));
        if (System.getProperty("d.calWindow") != null) b.calibrationWindow(Integer.parseInt(System.getProperty("d.calWindow")));
        if (System.getProperty("d.calAlpha") != null) b.calibrationAlpha(Double.parseDouble(System.getProperty("d.calAlpha")));
        if (System.getProperty("d.cusum") != null) b.changePoint(Boolean.parseBoolean(System.getProperty("d.cusum")));
        if (System.getProperty("d.slack") != null) b.changePointSlack(Double.parseDouble(System.getProperty("d.slack")));
        if (System.getProperty("d.interval") != null) b.changePointInterval(Double.parseDouble(System.getProperty("d.interval")));
        if (System.getProperty("d.rcf") != null) b.randomCutForest(Boolean.parseBoolean(System.getProperty("d.rcf")));
        if (System.getProperty("d.shingle") != null) b.forestShingleSize(Integer.parseInt(System.getProperty("d.shingle")));
        if (System.getProperty("d.trees") != null) b.forestTrees(Integer.parseInt(System.getProperty("d.trees")));
        if (System.getProperty("d.warmUp") != null) b.warmUpSamples(Integer.parseInt(System.getProperty("d.warmUp")));
        if (System.getProperty("d.refractory") != null) b.refractorySamples(Integer.parseInt(System.getProperty("d.refractory")));
        if (System.getProperty("d.refractoryFactor") != null) b.refractoryFactor(Double.parseDouble(System.getProperty("d.refractoryFactor")));
        if (System.getProperty("d.alert") != null) b.alertScore(Double.parseDouble(System.getProperty("d.alert")));
        if (System.getProperty("d.baselineScoring") != null) b.baselineScoring(Boolean.parseBoolean(System.getProperty("d.baselineScoring")));
        if (System.getProperty("d.extreme") != null) b.newExtremeCheck(Boolean.parseBoolean(System.getProperty("d.extreme")));
        if (System.getProperty("d.extremeTolerance") != null) b.newExtremeTolerance(Double.parseDouble(System.getProperty("d.extremeTolerance")));
        if (System.getProperty("d.sampleSize") != null) b.forestSampleSize(Integer.parseInt(System.getProperty("d.sampleSize")));
        if (System.getProperty("d.seed") != null) b.forestSeed(Long.parseLong(System.getProperty("d.seed")));
        if (System.getProperty("d.decay") != null) b.forestTimeDecay(Double.parseDouble(System.getProperty("d.decay")));
        DetectorConfig config = b.build();
        NabCorpus corpus = NabCorpus.load(EvalData.dataset("nab"));
        long start = System.nanoTime();
        NabReport report = NabEvaluation.evaluate(corpus, SiftNabDetector.NAME, new SiftNabDetector(config));
        double seconds = (System.nanoTime() - start) / 1e9;
        for (NabProfileResult p : report.profiles()) {
            System.out.printf("%-20s %7.2f  threshold %.4f%n", p.profile(), p.score(), p.threshold());
        }
        System.out.printf("took %.1f s%n", seconds);
        if (Boolean.getBoolean("histogram")) {
            SiftNabDetector detector = new SiftNabDetector(config);
            for (NabSeries series : corpus.series()) {
                double[] scores = detector.apply(series);
                int[] counts = new int[11];
                for (double v : scores) {
                    counts[(int) Math.floor(Math.min(v, 0.999) * 10) + (v >= 0.999 ? 1 : 0)]++;
                }
                System.out.printf("%-55s %s%n", series.name(), java.util.Arrays.toString(counts));
            }
        }
        if (Boolean.getBoolean("worst")) {
            report.profile(NabProfile.STANDARD).series().stream()
                    .sorted(Comparator.comparingDouble(SeriesFigures::rawScore))
                    .forEach(s -> System.out.printf("%-55s win %d det %d fa %4d raw %7.3f%n", s.series(), s.windows(),
                            s.detectedWindows(), s.falseAlarmRows(), s.rawScore()));
        }
    }
}

package io.sift.eval.asd;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.detect.DetectorConfig;
import io.sift.core.detect.MetricModel;
import io.sift.core.detect.ScoreCalibrator;
import io.sift.core.detect.SeriesDetector;
import io.sift.core.detect.SeriesState;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The detectors {@code sift eval asd} compares, each fed a series' train rows and then its test rows in time order,
 * giving one anomaly score in 0..1 per test row computed causally (from that row and earlier ones only).
 */
public final class AsdDetectors {

    /** Sift's job default: the robust baseline with its episodes, as {@code sift.detect.*} defaults configure it. */
    public static final String SIFT = "sift";
    /** Sift's metric model (seasonal baseline + Random Cut Forest), as {@code sift eval nab} runs it. */
    public static final String SIFT_MODEL = "sift-model";
    /** NAB's windowed Gaussian detector. */
    public static final String WINDOWED_GAUSSIAN = "windowed-gaussian";
    /** A static z-score against the train rows' mean and standard deviation. */
    public static final String TRAIN_ZSCORE = "train-zscore";

    /** NAB's windowed Gaussian: the window of values and the step at which its mean and deviation are renewed. */
    static final int GAUSSIAN_WINDOW = 6400;
    static final int GAUSSIAN_STEP = 100;

    private AsdDetectors() {
    }

    /** Every detector by name, Sift's first. {@code sift} uses {@code baseline} (the job's robust settings). */
    public static Map<String, Function<AsdCorpus.Series, double[]>> all(BaselineConfig baseline, DetectorConfig model) {
        Map<String, Function<AsdCorpus.Series, double[]>> detectors = new LinkedHashMap<>();
        detectors.put(SIFT, series -> sift(series, baseline));
        detectors.put(SIFT_MODEL, series -> siftModel(series, model));
        detectors.put(WINDOWED_GAUSSIAN, AsdDetectors::windowedGaussian);
        detectors.put(TRAIN_ZSCORE, AsdDetectors::trainZScore);
        return detectors;
    }

    /**
     * Sift's robust baseline through {@link SeriesDetector}, as the job runs it: the row whose sample opened an
     * episode (the anomaly's first version, which opens or joins an incident) scores that version's score (0-100,
     * / 100); every other row scores 0. The job alerts once per episode, and NAB's rules count every row above the
     * threshold outside a window as another false alarm, so scoring the whole episode would count one alert many
     * times.
     */
    public static double[] sift(AsdCorpus.Series series, BaselineConfig baseline) {
        SeriesDetector detector = DetectionConfig.robust(baseline, Map.of()).detectorFor(series.name());
        SeriesState state = new SeriesState();
        double[] scores = new double[series.test().length];
        int rows = series.train().length + series.test().length;
        double[] opened = new double[1];
        for (int i = 0; i < rows; i++) {
            double value = i < series.train().length ? series.train()[i] : series.test()[i - series.train().length];
            MetricPoint point = MetricPoint.newBuilder()
                    .setTime(AsdCorpus.Series.timeOf(i).toInstant(ZoneOffset.UTC))
                    .setName(series.name())
                    .setValue(value)
                    .setResource(Resource.newBuilder().setService(series.server()).build())
                    .build();
            opened[0] = 0;
            detector.onSample(state, null, series.name(), point, anomaly -> {
                if (anomaly.getVersion() == 1) {
                    opened[0] = anomaly.getScore() / 100.0;
                }
            });
            if (i >= series.train().length) {
                scores[i - series.train().length] = opened[0];
            }
        }
        return scores;
    }

    /** Sift's metric model, its per-sample score / 100 (as {@code sift eval nab} scores it). */
    public static double[] siftModel(AsdCorpus.Series series, DetectorConfig config) {
        MetricModel model = new MetricModel(config);
        double[] scores = new double[series.test().length];
        int rows = series.train().length + series.test().length;
        for (int i = 0; i < rows; i++) {
            boolean test = i >= series.train().length;
            double value = test ? series.test()[i - series.train().length] : series.train()[i];
            long time = AsdCorpus.Series.timeOf(i).toInstant(ZoneOffset.UTC).toEpochMilli();
            double score = model.assess(time, value).score() / 100.0;
            if (test) {
                scores[i - series.train().length] = score;
            }
        }
        return scores;
    }

    /**
     * NAB's windowed Gaussian ({@code nab/detectors/gaussian/windowedGaussian_detector.py}): the score of a value is
     * 1 - its two-sided normal tail probability under the mean and standard deviation of a window of the latest
     * {@value #GAUSSIAN_WINDOW} values, renewed every {@value #GAUSSIAN_STEP} values once the window is full (a zero
     * deviation is taken as 1e-6); the first value scores 0.
     */
    public static double[] windowedGaussian(AsdCorpus.Series series) {
        int rows = series.train().length + series.test().length;
        double[] window = new double[GAUSSIAN_WINDOW];
        int size = 0;
        int head = 0; // index of the oldest value once full
        double[] step = new double[GAUSSIAN_STEP];
        int stepped = 0;
        double mean = 0.0;
        double std = 1.0;
        double runningMean = 0.0;
        double squares = 0.0;
        double[] scores = new double[series.test().length];
        for (int i = 0; i < rows; i++) {
            double value = i < series.train().length ? series.train()[i] : series.test()[i - series.train().length];
            double score = size > 0 ? 1.0 - tail(value, mean, std) : 0.0;
            if (size < GAUSSIAN_WINDOW) {
                // Filling: Welford's running mean and squares give numpy's mean and std of the values so far.
                window[size++] = value;
                double delta = value - runningMean;
                runningMean += delta / size;
                squares += delta * (value - runningMean);
                mean = runningMean;
                std = Math.sqrt(squares / size);
                std = std == 0.0 ? 1e-6 : std;
            } else {
                step[stepped++] = value;
                if (stepped == GAUSSIAN_STEP) {
                    for (int k = 0; k < GAUSSIAN_STEP; k++) {
                        window[head] = step[k];
                        head = (head + 1) % GAUSSIAN_WINDOW;
                    }
                    stepped = 0;
                    double[] ms = meanStd(window, size);
                    mean = ms[0];
                    std = ms[1];
                }
            }
            if (i >= series.train().length) {
                scores[i - series.train().length] = score;
            }
        }
        return scores;
    }

    /** 1 - the two-sided normal tail probability of each test value under the train rows' mean and deviation. */
    public static double[] trainZScore(AsdCorpus.Series series) {
        double[] ms = meanStd(series.train(), series.train().length);
        double[] scores = new double[series.test().length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 1.0 - tail(series.test()[i], ms[0], ms[1]);
        }
        return scores;
    }

    /** NAB's normalProbability: the upper tail beyond |x - mean| (a zero deviation counts as 1e-6). */
    static double tail(double x, double mean, double std) {
        return ScoreCalibrator.upperTail(Math.abs(x - mean) / std);
    }

    /** Population mean and standard deviation (numpy's defaults), a zero deviation replaced by 1e-6. */
    static double[] meanStd(double[] values, int n) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        double mean = n == 0 ? 0.0 : sum / n;
        double squares = 0.0;
        for (int i = 0; i < n; i++) {
            squares += (values[i] - mean) * (values[i] - mean);
        }
        double std = n == 0 ? 0.0 : Math.sqrt(squares / n);
        return new double[] {mean, std == 0.0 ? 1e-6 : std};
    }
}

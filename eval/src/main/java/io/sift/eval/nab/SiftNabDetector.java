package io.sift.eval.nab;

import io.sift.core.detect.DetectorConfig;
import io.sift.core.detect.MetricModel;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Sift's metric model as a NAB detector: one fresh model per series, fed the rows in timestamp order (NAB's
 * timestamps are taken as UTC), its 0-100 score divided by 100 as NAB's anomaly score.
 */
public final class SiftNabDetector implements Function<NabSeries, double[]> {

    public static final String NAME = "sift";

    private final DetectorConfig config;

    public SiftNabDetector(DetectorConfig config) {
        this.config = config;
    }

    @Override
    public double[] apply(NabSeries series) {
        MetricModel model = new MetricModel(config);
        double[] scores = new double[series.size()];
        for (int i = 0; i < scores.length; i++) {
            long time = series.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli();
            scores[i] = model.assess(time, series.values()[i]).score() / 100.0;
        }
        return scores;
    }
}

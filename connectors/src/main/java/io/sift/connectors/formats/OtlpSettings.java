package io.sift.connectors.formats;

import java.io.Serializable;
import java.util.List;

/**
 * How OTLP is mapped onto Sift's records.
 *
 * @param quantiles      quantiles (0-1) estimated from histogram buckets, each a series {@code <metric>.p<percent>}
 * @param resourceLabels resource attributes kept as labels (metrics) or attributes (logs), beyond the ones that make
 *                       Sift's resource; others (process ids, SDK versions) would split a series at every restart
 */
public record OtlpSettings(List<Double> quantiles, List<String> resourceLabels) implements Serializable {

    public static final List<Double> DEFAULT_QUANTILES = List.of(0.5, 0.95, 0.99);

    public static final List<String> DEFAULT_RESOURCE_LABELS = List.of("service.namespace", "k8s.namespace.name",
            "k8s.cluster.name", "cloud.provider", "cloud.region", "cloud.availability_zone");

    public OtlpSettings {
        quantiles = List.copyOf(quantiles);
        resourceLabels = List.copyOf(resourceLabels);
        for (double q : quantiles) {
            if (!(q >= 0 && q <= 1)) {
                throw new IllegalArgumentException("a quantile is between 0 and 1 (0.99 = p99), was " + q);
            }
        }
    }

    public static OtlpSettings defaults() {
        return new OtlpSettings(DEFAULT_QUANTILES, DEFAULT_RESOURCE_LABELS);
    }

    /** The series name suffix of a quantile: 0.5 → p50, 0.999 → p99.9, 0 → min, 1 → max. */
    public static String suffix(double quantile) {
        if (quantile == 0) {
            return "min";
        }
        if (quantile == 1) {
            return "max";
        }
        java.math.BigDecimal percent = java.math.BigDecimal.valueOf(quantile).movePointRight(2).stripTrailingZeros();
        return "p" + percent.toPlainString();
    }
}

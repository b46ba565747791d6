package io.sift.connectors.formats;

import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Telegraf/InfluxDB metric (measurement, tags, numeric fields, time) as one {@link MetricPoint} per field, named
 * {@code <measurement>.<field>}; the resource from the tags ({@link LabelResource}: a host metric describes its host),
 * the other tags as labels. Telegraf says nothing of the kind: GAUGE.
 */
final class FieldMetrics {

    private FieldMetrics() {}

    static void emit(String measurement, Map<String, String> tags, Map<String, Double> fields, Instant time,
            List<MetricPoint> out) {
        LabelResource.Split split = LabelResource.split(tags, measurement);
        for (Map.Entry<String, Double> field : fields.entrySet()) {
            out.add(new MetricPoint(time, measurement + "." + field.getKey(), field.getValue(), null, MetricKind.GAUGE,
                    split.resource(), split.labels()));
        }
    }
}

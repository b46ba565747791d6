package io.sift.scenario;

import io.sift.schema.MetricKind;
import io.sift.schema.Resource;

import java.util.Map;

/**
 * One metric series the scenario emits (a point every sample interval).
 *
 * @param item     estate item the series describes (Resource.service)
 * @param metric   metric name, see {@link MetricNames}
 * @param unit     UCUM unit
 * @param kind     GAUGE or HISTOGRAM_SUMMARY
 * @param resource resource of every point (shared instance: treat as read-only)
 * @param labels   labels of every point (immutable)
 */
public record SeriesInfo(String item, String metric, String unit, MetricKind kind, Resource resource,
                         Map<String, String> labels) {

    /** Readable identity, e.g. "http.server.error.ratio{service=checkout,instance=checkout-...,host=prod-node-03}". */
    public String key() {
        StringBuilder sb = new StringBuilder(metric).append("{service=").append(resource.getService());
        if (resource.getInstance() != null) {
            sb.append(",instance=").append(resource.getInstance());
        }
        if (resource.getHost() != null) {
            sb.append(",host=").append(resource.getHost());
        }
        labels.forEach((k, v) -> sb.append(',').append(k).append('=').append(v));
        return sb.append('}').toString();
    }
}

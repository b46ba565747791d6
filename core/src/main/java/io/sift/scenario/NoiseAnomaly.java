package io.sift.scenario;

import java.time.Instant;

/**
 * Ground truth of one background noise anomaly: a short glitch of a single series that belongs to no fault. A
 * correlator should not fold it into a fault's incident.
 *
 * @param id          stable id, "noise-001", "noise-002", ... in start order
 * @param item        estate item of the series
 * @param metric      metric name of the series
 * @param series      readable series identity ({@link SeriesInfo#key()})
 * @param start       first instant of the glitch
 * @param end         first instant after it
 * @param description one line for a person, e.g. "p95 latency x4.2 for 3 min"
 */
public record NoiseAnomaly(String id, String item, String metric, String series, Instant start, Instant end,
                           String description) {
}

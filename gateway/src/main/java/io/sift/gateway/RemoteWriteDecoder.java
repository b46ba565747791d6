package io.sift.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sift.gateway.prompb.Remote;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote_write 1.0 (a snappy block-compressed protobuf WriteRequest) → one {@link MetricPoint} per sample.
 * The metric name is {@code __name__}; the entity comes from the labels ({@link EntityMapper}); the labels that did
 * not go into the entity stay as the series' dimensions. The kind comes from the metadata Prometheus sends (kept per
 * metric family, a bounded cache: Prometheus sends metadata in requests of their own), else from the naming
 * conventions ({@code _total}, {@code _count}, {@code _sum}, {@code _bucket} are counters), else GAUGE.
 *
 * <p>Stale markers (the NaN Prometheus writes when a series disappears) and other non-finite samples are skipped and
 * counted, never refused: Prometheus drops a whole request answered with 4xx, good samples with it.
 */
public final class RemoteWriteDecoder {

    /** Largest decompressed WriteRequest accepted; a snappy header claiming more is refused before allocating. */
    private final int maxUncompressedBytes;
    private final EntityMapper entities;
    private final Map<String, Remote.MetricMetadata> metadata = new ConcurrentHashMap<>();
    private static final int MAX_METADATA_FAMILIES = 100_000;

    /** What one request held. */
    public record Decoded(int series, int samples, int skippedNonFinite, int metadata) {}

    public RemoteWriteDecoder(EntityMapper entities, int maxUncompressedBytes) {
        this.entities = entities;
        this.maxUncompressedBytes = maxUncompressedBytes;
    }

    /** Decodes a request body and hands each sample's MetricPoint (with its series' service, the Kafka key) on. */
    public Decoded decode(byte[] body, Consumer<MetricPoint> sink) throws BadPayloadException {
        Remote.WriteRequest request = parse(uncompress(body));
        for (Remote.MetricMetadata family : request.getMetadataList()) {
            if (metadata.size() < MAX_METADATA_FAMILIES || metadata.containsKey(family.getMetricFamilyName())) {
                metadata.put(family.getMetricFamilyName(), family);
            }
        }
        int samples = 0;
        int skipped = 0;
        for (Remote.TimeSeries series : request.getTimeseriesList()) {
            if (series.getSamplesCount() == 0) {
                continue;
            }
            Map<String, String> labels = new HashMap<>(series.getLabelsCount() * 2);
            for (Remote.Label label : series.getLabelsList()) {
                labels.put(label.getName(), label.getValue());
            }
            String name = labels.get("__name__");
            if (name == null || name.isEmpty()) {
                throw new BadPayloadException("INVALID_VALUE", "a time series has no __name__ label: "
                        + labels);
            }
            Set<String> used = new HashSet<>();
            used.add("__name__");
            Resource resource = entities.resource(labels, used);
            Map<String, String> dimensions = new HashMap<>(labels);
            dimensions.keySet().removeAll(used);
            MetricKind kind = kind(name);
            String unit = unit(name);
            for (Remote.Sample sample : series.getSamplesList()) {
                double value = sample.getValue();
                if (!Double.isFinite(value)) {
                    skipped++;
                    continue;
                }
                // The all-args constructor: Avro's builder copies defaults per record, measurable at this rate.
                sink.accept(new MetricPoint(Instant.ofEpochMilli(sample.getTimestamp()), name, value, unit, kind,
                        resource, dimensions));
                samples++;
            }
        }
        return new Decoded(request.getTimeseriesCount(), samples, skipped, request.getMetadataCount());
    }

    /** The body Prometheus sends for a request (snappy block format): for load generators and tests. */
    public static byte[] body(Remote.WriteRequest request) {
        try {
            return Snappy.compress(request.toByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("snappy could not compress", e);
        }
    }

    private byte[] uncompress(byte[] body) throws BadPayloadException {
        if (body.length == 0) {
            throw new BadPayloadException("EMPTY_BODY", "the request has no body");
        }
        try {
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw new BadPayloadException("MALFORMED_SNAPPY", "the body is not snappy block-compressed"
                        + " (remote_write sends Content-Encoding: snappy)");
            }
            int length = Snappy.uncompressedLength(body);
            if (length > maxUncompressedBytes) {
                throw new BadPayloadException(413, "TOO_LARGE", "the WriteRequest uncompresses to " + length
                        + " bytes, more than the limit of " + maxUncompressedBytes);
            }
            return Snappy.uncompress(body);
        } catch (IOException e) {
            throw new BadPayloadException("MALFORMED_SNAPPY", "cannot uncompress the body: " + e.getMessage());
        }
    }

    private static Remote.WriteRequest parse(byte[] bytes) throws BadPayloadException {
        try {
            return Remote.WriteRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new BadPayloadException("MALFORMED_PROTOBUF", "not a Prometheus WriteRequest: " + e.getMessage());
        }
    }

    MetricKind kind(String name) {
        Remote.MetricMetadata family = metadata.get(family(name));
        if (family != null) {
            switch (family.getType()) {
                case COUNTER -> {
                    return MetricKind.COUNTER;
                }
                case GAUGE, INFO, STATESET -> {
                    return MetricKind.GAUGE;
                }
                case HISTOGRAM, GAUGEHISTOGRAM, SUMMARY -> {
                    // The _bucket, _count and _sum series rise; a summary's quantile series is a distribution's.
                    return isCumulativePart(name) ? MetricKind.COUNTER : MetricKind.HISTOGRAM_SUMMARY;
                }
                default -> { }
            }
        }
        return name.endsWith("_total") || isCumulativePart(name) ? MetricKind.COUNTER : MetricKind.GAUGE;
    }

    private String unit(String name) {
        Remote.MetricMetadata family = metadata.get(family(name));
        return family == null || family.getUnit().isEmpty() ? null : family.getUnit();
    }

    private static boolean isCumulativePart(String name) {
        return name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket");
    }

    /** The family a series belongs to: its name without a histogram's or summary's suffix, when that is known. */
    private String family(String name) {
        if (metadata.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                if (metadata.containsKey(base)) {
                    return base;
                }
            }
        }
        return name;
    }
}

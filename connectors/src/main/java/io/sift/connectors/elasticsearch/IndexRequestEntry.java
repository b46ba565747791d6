package io.sift.connectors.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One document to index: the target index, the document id, an optional external version and the
 * JSON source. This is what {@link ElasticsearchEmitter}s produce and what the sink buffers, sends
 * in bulks and keeps in checkpoints, so it is {@link Serializable} and immutable.
 *
 * <p>With an external version Elasticsearch keeps the document only if the version is higher than
 * the stored one; an older or equal version is answered with a version conflict, which the sink
 * counts as stale and skips. Replays and out-of-order deliveries can therefore never overwrite a
 * newer version.
 */
public final class IndexRequestEntry implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Means "no external version": Elasticsearch's internal versioning applies. */
    public static final long NO_VERSION = -1L;

    private final String index;
    private final String id;
    private final long externalVersion;
    private final byte[] source;

    private IndexRequestEntry(String index, String id, long externalVersion, byte[] source) {
        this.index = index;
        this.id = id;
        this.externalVersion = externalVersion;
        this.source = source;
    }

    /**
     * A document indexed with external versioning.
     *
     * @param index concrete index name (lowercase), e.g. {@code sift-incidents-2026.11}
     * @param id document id
     * @param externalVersion version, 0 or more; the stored document is replaced only by a higher one
     * @param source the document as UTF-8 JSON on one line
     */
    public static IndexRequestEntry versioned(
            String index, String id, long externalVersion, byte[] source) {
        if (externalVersion < 0) {
            throw new IllegalArgumentException(
                    "externalVersion must be 0 or more (Elasticsearch rejects negative external versions), got "
                            + externalVersion
                            + " for document "
                            + id);
        }
        requireText(id, "id: an externally versioned document needs an id");
        return new IndexRequestEntry(checkIndex(index), id, externalVersion, checkSource(source));
    }

    /**
     * A document indexed without external versioning: the last write wins.
     *
     * @param id document id, or null to let Elasticsearch generate one (then every retry may create
     *     a duplicate, so prefer an id)
     */
    public static IndexRequestEntry unversioned(String index, String id, byte[] source) {
        if (id != null) {
            requireText(id, "id: give a non-empty id or null");
        }
        return new IndexRequestEntry(checkIndex(index), id, NO_VERSION, checkSource(source));
    }

    /** Same as {@link #versioned(String, String, long, byte[])} with a JSON string. */
    public static IndexRequestEntry versioned(
            String index, String id, long externalVersion, String source) {
        return versioned(index, id, externalVersion, utf8(source));
    }

    /** Same as {@link #unversioned(String, String, byte[])} with a JSON string. */
    public static IndexRequestEntry unversioned(String index, String id, String source) {
        return unversioned(index, id, utf8(source));
    }

    public String index() {
        return index;
    }

    /** The document id; null when Elasticsearch should generate one. */
    public String id() {
        return id;
    }

    public boolean hasExternalVersion() {
        return externalVersion != NO_VERSION;
    }

    /** The external version, or {@link #NO_VERSION}. */
    public long externalVersion() {
        return externalVersion;
    }

    /** The JSON source. The array is shared, not copied: do not modify it. */
    public byte[] source() {
        return source;
    }

    public String sourceAsString() {
        return new String(source, StandardCharsets.UTF_8);
    }

    /** Approximate bytes this entry adds to a bulk request body (action line plus source). */
    public long sizeInBytes() {
        return source.length + index.length() + (id == null ? 0 : id.length()) + 80L;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IndexRequestEntry)) {
            return false;
        }
        IndexRequestEntry that = (IndexRequestEntry) o;
        return externalVersion == that.externalVersion
                && index.equals(that.index)
                && Objects.equals(id, that.id)
                && Arrays.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, externalVersion) * 31 + Arrays.hashCode(source);
    }

    @Override
    public String toString() {
        return "IndexRequestEntry{index="
                + index
                + ", id="
                + id
                + (hasExternalVersion() ? ", externalVersion=" + externalVersion : "")
                + ", sourceBytes="
                + source.length
                + '}';
    }

    private static String checkIndex(String index) {
        requireText(index, "index: give the concrete index name, e.g. sift-incidents-2026.11");
        if (!index.equals(index.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "index: Elasticsearch index names must be lowercase, got '" + index + "'");
        }
        return index;
    }

    private static byte[] checkSource(byte[] source) {
        if (source == null || source.length == 0) {
            throw new IllegalArgumentException("source: give the document as non-empty UTF-8 JSON");
        }
        return source;
    }

    private static void requireText(String value, String message) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(message);
        }
    }

    private static byte[] utf8(String source) {
        return source == null ? null : source.getBytes(StandardCharsets.UTF_8);
    }
}

package io.sift.connectors.elasticsearch;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/** Adapts an {@link ElasticsearchEmitter} to AsyncSinkWriter and enforces the record size limit. */
final class EmitterElementConverter<T> implements ElementConverter<T, IndexRequestEntry> {

    private static final long serialVersionUID = 1L;

    private final ElasticsearchEmitter<T> emitter;
    private final long maxRecordSizeInBytes;

    EmitterElementConverter(ElasticsearchEmitter<T> emitter, long maxRecordSizeInBytes) {
        this.emitter = emitter;
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
    }

    @Override
    public IndexRequestEntry apply(T element, SinkWriter.Context context) {
        IndexRequestEntry entry = emitter.toRequest(element);
        if (entry == null) {
            throw new IllegalStateException(
                    emitter + " returned no document for " + element + "; an emitter must return one");
        }
        if (entry.sizeInBytes() > maxRecordSizeInBytes) {
            throw new DocumentTooLargeException(entry, maxRecordSizeInBytes);
        }
        return entry;
    }

    /** Thrown for a document above the record limit; the writer dead-letters it. */
    static final class DocumentTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient IndexRequestEntry entry;

        DocumentTooLargeException(IndexRequestEntry entry, long limit) {
            super(
                    "document "
                            + entry.id()
                            + " for index "
                            + entry.index()
                            + " is about "
                            + entry.sizeInBytes()
                            + " bytes, more than the sink's maximum record size of "
                            + limit
                            + " bytes (setMaxRecordSizeInBytes)");
            this.entry = entry;
        }
    }
}

package io.sift.connectors.elasticsearch;

import java.io.Serializable;

/**
 * Turns one stream element into one document to index. Kept apart from the sink so that document
 * shape (index name, id, version, JSON) can be tested without Elasticsearch.
 *
 * <p>Implementations must be deterministic (the same element gives a byte-identical entry) and
 * serializable, since the sink ships them to the task managers.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface ElasticsearchEmitter<T> extends Serializable {

    /** The document for {@code element}; never null. */
    IndexRequestEntry toRequest(T element);
}

package io.sift.connectors.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;

import io.sift.connectors.deadletter.RejectedDocumentHandler;
import org.elasticsearch.client.ResponseException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What happened to each document of one bulk request, and whether a failed bulk request as a whole
 * may be retried. Pure functions, so the rules are unit-tested without Elasticsearch.
 *
 * <p>Per item:
 *
 * <ul>
 *   <li>2xx: indexed;
 *   <li>409 {@code version_conflict_engine_exception} on an externally versioned document: the
 *       stored version is newer or equal, so this one is stale and skipped (a success, not an
 *       error);
 *   <li>429, 5xx, and 403 {@code cluster_block_exception} (e.g. a read-only index while the disk is
 *       full): transient, retried;
 *   <li>any other 4xx (mapping errors, invalid ids, ...): the document can never be indexed and goes
 *       to the {@link RejectedDocumentHandler}.
 * </ul>
 */
final class BulkOutcome {

    /** A document Elasticsearch refused for good. */
    static final class Rejection {
        final IndexRequestEntry entry;
        final int status;
        final String errorType;
        final String reason;

        Rejection(IndexRequestEntry entry, int status, String errorType, String reason) {
            this.entry = entry;
            this.status = status;
            this.errorType = errorType;
            this.reason = reason;
        }

        String message() {
            return "Elasticsearch rejected document "
                    + entry.id()
                    + " for index "
                    + entry.index()
                    + " (HTTP "
                    + status
                    + " "
                    + errorType
                    + "): "
                    + reason;
        }
    }

    int indexed;
    int stale;
    final List<IndexRequestEntry> retry = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    private BulkOutcome() {}

    static BulkOutcome classify(List<IndexRequestEntry> entries, BulkResponse response) {
        List<BulkResponseItem> items = response.items();
        if (items.size() != entries.size()) {
            throw new IllegalStateException(
                    "Elasticsearch answered "
                            + items.size()
                            + " bulk items for "
                            + entries.size()
                            + " documents");
        }
        BulkOutcome outcome = new BulkOutcome();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            IndexRequestEntry entry = entries.get(i);
            int status = item.status();
            ErrorCause error = item.error();
            String type = error == null ? null : error.type();
            if (error == null && status >= 200 && status < 300) {
                outcome.indexed++;
            } else if (status == 409
                    && "version_conflict_engine_exception".equals(type)
                    && entry.hasExternalVersion()) {
                outcome.stale++;
            } else if (isTransientItem(status, type)) {
                outcome.retry.add(entry);
            } else {
                outcome.rejected.add(
                        new Rejection(
                                entry,
                                status,
                                type == null ? "unknown_error" : type,
                                describe(error)));
            }
        }
        return outcome;
    }

    static boolean isTransientItem(int status, String errorType) {
        return status == 429
                || status >= 500
                || status == 408
                || (status == 403 && "cluster_block_exception".equals(errorType));
    }

    /** Reason with the chain of causes, e.g. "failed to parse field [x]; caused by: ...". */
    static String describe(ErrorCause error) {
        if (error == null) {
            return "no error details";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(error.reason() == null ? error.type() : error.reason());
        ErrorCause cause = error.causedBy();
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.causedBy()) {
            sb.append("; caused by: ").append(cause.type());
            if (cause.reason() != null) {
                sb.append(": ").append(cause.reason());
            }
        }
        return sb.toString();
    }

    /**
     * HTTP status of a failed bulk request as a whole, or -1 when there was no HTTP response
     * (connection refused, timeout, ...).
     */
    static int statusOf(Throwable failure) {
        Throwable t = unwrap(failure);
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof ElasticsearchException) {
                return ((ElasticsearchException) t).status();
            }
            if (t instanceof TransportException) {
                int status = ((TransportException) t).statusCode();
                if (status > 0) {
                    return status;
                }
            }
            if (t instanceof ResponseException) {
                return ((ResponseException) t).getResponse().getStatusLine().getStatusCode();
            }
        }
        return -1;
    }

    /**
     * Whether a whole bulk request that failed with {@code failure} should be retried. No response,
     * 408, 429 and 5xx are transient. Other 4xx (bad credentials, missing privileges, request too
     * large) will not go away by retrying: the job fails with the reason instead.
     */
    static boolean isRetryableRequestFailure(Throwable failure) {
        int status = statusOf(failure);
        return status < 0 || status == 408 || status == 429 || status >= 500;
    }

    /** A hint for fatal whole-request failures. */
    static String adviceFor(int status) {
        switch (status) {
            case 401:
                return "check the credentials (setBasicAuth / setApiKey)";
            case 403:
                return "the user or API key needs the 'index' and 'create_index' privileges on the Sift indices";
            case 413:
                return "the bulk body is larger than Elasticsearch's http.max_content_length: lower setMaxBatchSizeInBytes";
            default:
                return "see the Elasticsearch response";
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    List<IndexRequestEntry> retry() {
        return Collections.unmodifiableList(retry);
    }
}

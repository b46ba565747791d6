package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.elasticsearch._types.VersionType;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

class BulkOutcomeTest {

    private static IndexRequestEntry versioned(String id) {
        return IndexRequestEntry.versioned("sift-incidents-2026.11", id, 3, "{\"a\":1}");
    }

    private static BulkResponseItem item(String id, int status, String errorType) {
        return BulkResponseItem.of(
                i -> {
                    i.operationType(OperationType.Index).index("sift-incidents-2026.11").id(id).status(status);
                    if (errorType != null) {
                        i.error(
                                ErrorCause.of(
                                        e -> e.type(errorType)
                                                .reason("reason of " + id)
                                                .causedBy(c -> c.type("number_format_exception").reason("For input string: \"x\""))));
                    }
                    return i;
                });
    }

    private static BulkResponse response(BulkResponseItem... items) {
        return BulkResponse.of(b -> b.errors(true).took(3).items(List.of(items)));
    }

    @Test
    void sortsEveryItem() {
        List<IndexRequestEntry> entries = new ArrayList<>();
        for (String id : List.of("ok", "created", "stale", "busy", "broken", "mapping", "blocked", "unversioned-conflict")) {
            entries.add(id.equals("unversioned-conflict")
                    ? IndexRequestEntry.unversioned("sift-incidents-2026.11", id, "{}")
                    : versioned(id));
        }
        BulkOutcome outcome =
                BulkOutcome.classify(
                        entries,
                        response(
                                item("ok", 200, null),
                                item("created", 201, null),
                                item("stale", 409, "version_conflict_engine_exception"),
                                item("busy", 429, "es_rejected_execution_exception"),
                                item("broken", 503, "unavailable_shards_exception"),
                                item("mapping", 400, "document_parsing_exception"),
                                item("blocked", 403, "cluster_block_exception"),
                                item("unversioned-conflict", 409, "version_conflict_engine_exception")));
        assertEquals(2, outcome.indexed);
        assertEquals(1, outcome.stale);
        assertEquals(List.of("busy", "broken", "blocked"), outcome.retry().stream().map(IndexRequestEntry::id).toList());
        assertEquals(2, outcome.rejected.size());
        BulkOutcome.Rejection mapping = outcome.rejected.get(0);
        assertEquals("mapping", mapping.entry.id());
        assertEquals(400, mapping.status);
        assertEquals("document_parsing_exception", mapping.errorType);
        assertTrue(mapping.message().contains("HTTP 400 document_parsing_exception"), mapping.message());
        assertTrue(mapping.message().contains("reason of mapping; caused by: number_format_exception: For input string"), mapping.message());
        assertEquals("unversioned-conflict", outcome.rejected.get(1).entry.id(), "409 without external version is not stale");
    }

    @Test
    void refusesMismatchedItemCounts() {
        assertThrows(
                IllegalStateException.class,
                () -> BulkOutcome.classify(List.of(versioned("a"), versioned("b")), response(item("a", 201, null))));
    }

    @Test
    void wholeRequestFailures() {
        assertTrue(BulkOutcome.isRetryableRequestFailure(new CompletionException(new ConnectException("refused"))));
        assertEquals(-1, BulkOutcome.statusOf(new ConnectException("refused")));
        assertTrue(BulkOutcome.isRetryableRequestFailure(esError(503)));
        assertTrue(BulkOutcome.isRetryableRequestFailure(esError(429)));
        assertFalse(BulkOutcome.isRetryableRequestFailure(new CompletionException(esError(401))));
        assertEquals(401, BulkOutcome.statusOf(new CompletionException(esError(401))));
        assertFalse(BulkOutcome.isRetryableRequestFailure(esError(413)));
        assertTrue(BulkOutcome.adviceFor(413).contains("setMaxBatchSizeInBytes"));
    }

    @Test
    void bulkRequestCarriesIdsAndExternalVersions() {
        BulkRequest request =
                ElasticsearchSinkWriter.toBulkRequest(
                        List.of(versioned("v"), IndexRequestEntry.unversioned("sift-x", null, "{}")));
        assertEquals(2, request.operations().size());
        var first = request.operations().get(0).index();
        assertEquals("v", first.id());
        assertEquals(3L, first.version());
        assertEquals(VersionType.External, first.versionType());
        var second = request.operations().get(1).index();
        assertEquals(null, second.id());
        assertEquals(null, second.versionType());
    }

    private static ElasticsearchException esError(int status) {
        return new ElasticsearchException(
                "bulk",
                ErrorResponse.of(r -> r.status(status).error(e -> e.type("some_exception").reason("status " + status))));
    }
}

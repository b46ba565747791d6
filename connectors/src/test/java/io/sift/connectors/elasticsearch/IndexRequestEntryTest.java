package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class IndexRequestEntryTest {

    @Test
    void checkpointStateRoundTrips() throws Exception {
        List<RequestEntryWrapper<IndexRequestEntry>> entries = new ArrayList<>();
        for (IndexRequestEntry e :
                List.of(
                        IndexRequestEntry.versioned("sift-incidents-2026.11", "inc-ü", 5, "{\"t\":\"ü\"}"),
                        IndexRequestEntry.unversioned("sift-misc", null, "{}"),
                        IndexRequestEntry.unversioned("sift-misc", "x", "{\"b\":true}"))) {
            entries.add(new RequestEntryWrapper<>(e, e.sizeInBytes()));
        }
        IndexRequestEntryStateSerializer serializer = new IndexRequestEntryStateSerializer();
        BufferedRequestState<IndexRequestEntry> restored =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(new BufferedRequestState<>(entries)));
        assertEquals(3, restored.getBufferedRequestEntries().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    entries.get(i).getRequestEntry(),
                    restored.getBufferedRequestEntries().get(i).getRequestEntry());
        }
    }

    @Test
    void rejectsWhatElasticsearchWould() {
        assertThrows(IllegalArgumentException.class, () -> IndexRequestEntry.versioned("Upper", "id", 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> IndexRequestEntry.versioned("i", "id", -2, "{}"));
        assertThrows(IllegalArgumentException.class, () -> IndexRequestEntry.versioned("i", null, 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> IndexRequestEntry.unversioned("i", "id", ""));
    }
}

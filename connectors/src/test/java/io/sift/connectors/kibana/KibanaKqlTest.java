package io.sift.connectors.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** The KQL subset the saved-object test translates, against the query DSL Kibana produces for it. */
class KibanaKqlTest {

    private static JsonNode json(String text) throws IOException {
        return SavedObjects.JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void fieldValueExistsWildcardAndPhrase() throws IOException {
        assertEquals(json("{'match':{'sift.status':'OPEN'}}"), Kql.translate("sift.status : OPEN").query);
        assertEquals(json("{'exists':{'field':'sift.suspect_changes.id'}}"),
                Kql.translate("sift.suspect_changes.id:*").query);
        assertEquals(json("{'query_string':{'fields':['service.name'],'query':'orders*'}}"),
                Kql.translate("service.name : orders*").query);
        assertEquals(json("{'match_phrase':{'sift.title':'latency up'}}"),
                Kql.translate("sift.title : \"latency up\"").query);
        assertEquals(json("{'match_all':{}}"), Kql.translate("  ").query);
    }

    @Test
    void booleansValueListsAndRanges() throws IOException {
        Kql.Translation t = Kql.translate("sift.status : OPEN and sift.priority : (P1 or P2) and not sift.score < 50.5");
        assertEquals(json("{'bool':{'filter':["
                + "{'match':{'sift.status':'OPEN'}},"
                + "{'bool':{'should':[{'match':{'sift.priority':'P1'}},{'match':{'sift.priority':'P2'}}],'minimum_should_match':1}},"
                + "{'bool':{'must_not':[{'range':{'sift.score':{'lt':50.5}}}]}}]}}"), t.query);
        assertEquals(List.of("sift.status", "sift.priority", "sift.score"), List.copyOf(t.fields));
        assertEquals(json("{'bool':{'should':[{'match':{'a':'1'}},{'bool':{'filter':[{'match':{'b':'2'}},{'match':{'c':'3'}}]}}],"
                + "'minimum_should_match':1}}"), Kql.translate("a:1 OR b:2 AND c:3").query);
    }

    @Test
    void nestedQueriesPrefixTheirFields() throws IOException {
        Kql.Translation t = Kql.translate("sift.root_causes : { rank : 1 and changes : * }");
        assertEquals(json("{'nested':{'path':'sift.root_causes','query':{'bool':{'filter':["
                + "{'match':{'sift.root_causes.rank':'1'}},{'exists':{'field':'sift.root_causes.changes'}}]}},"
                + "'score_mode':'none'}}"), t.query);
        assertEquals(Set.of("sift.root_causes", "sift.root_causes.rank", "sift.root_causes.changes"), t.fields);
    }

    @Test
    void unsupportedSyntaxIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Kql.translate("orders-db"));
        assertThrows(IllegalArgumentException.class, () -> Kql.translate("\"free text\""));
        assertThrows(IllegalArgumentException.class, () -> Kql.translate("sift.status : (OPEN"));
        assertThrows(IllegalArgumentException.class, () -> Kql.translate("sift.title : \"unterminated"));
    }
}

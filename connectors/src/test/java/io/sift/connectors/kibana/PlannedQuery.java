package io.sift.connectors.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sift.connectors.kibana.SavedObjects.SavedObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Kibana would send to Elasticsearch for one saved search or one Lens layer: the data view (index pattern and
 * time field), the query clauses (KQL and filters), sort or aggregations, and every field the object names with
 * what it needs from the mapping.
 */
final class PlannedQuery {

    /** What a saved object needs of a field. */
    enum Need {
        /** Named at all (a column, a filter, a field format): it must be mapped. */
        MAPPED,
        /** Sorted on, or bucketed/aggregated: doc values. */
        AGGREGATABLE,
        /** sum, average, percentiles, ranges, or a Lens column of data type number. */
        NUMERIC,
        /** date_histogram, the time field, or a Lens column of data type date. */
        DATE,
        /** A Lens column of data type string (terms): a keyword-family field. */
        KEYWORD
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final String description;
    final SavedObject source;
    final SavedObject dataView;
    final List<JsonNode> filter = new ArrayList<>();
    final List<JsonNode> mustNot = new ArrayList<>();
    final Map<String, Set<Need>> fields = new LinkedHashMap<>();
    /** Saved searches: the Discover columns and sort. */
    final List<String> columns = new ArrayList<>();
    final ArrayNode sort = NODES.arrayNode();
    /** Lens layers: the aggregation tree, the bucket columns outermost first, and the metric columns. */
    ObjectNode aggregations;
    final List<String> bucketColumns = new ArrayList<>();
    final List<LensMetric> metrics = new ArrayList<>();

    PlannedQuery(String description, SavedObject source, SavedObject dataView) {
        this.description = description;
        this.source = source;
        this.dataView = dataView;
        need(timeField(), Need.MAPPED, Need.DATE);
    }

    String indexPattern() {
        return dataView.attributes().path("title").asText();
    }

    String timeField() {
        return dataView.attributes().path("timeFieldName").asText();
    }

    void need(String field, Need... needs) {
        fields.computeIfAbsent(field, f -> EnumSet.of(Need.MAPPED)).addAll(List.of(needs));
    }

    /** A Kibana filter (the filter bar's JSON: meta and query DSL); disabled ones are skipped. */
    void addFilter(JsonNode kibanaFilter) {
        JsonNode meta = kibanaFilter.path("meta");
        if (meta.path("disabled").asBoolean(false)) {
            return;
        }
        if (meta.hasNonNull("key")) {
            need(meta.path("key").asText());
        }
        JsonNode query = kibanaFilter.path("query");
        if (!query.isObject()) {
            throw new AssertionError(source + ": filter without query DSL: " + kibanaFilter);
        }
        fieldsOfDsl(query).forEach(this::need);
        (meta.path("negate").asBoolean(false) ? mustNot : filter).add(query);
    }

    void addKql(JsonNode kibanaQuery) {
        String language = kibanaQuery.path("language").asText("kuery");
        if (!language.equals("kuery")) {
            throw new AssertionError(source + ": query language " + language + " (only KQL is translated here)");
        }
        Kql.Translation kql = Kql.translate(kibanaQuery.path("query").asText(""));
        kql.fields.forEach(this::need);
        filter.add(kql.query);
    }

    boolean isSavedSearch() {
        return source.type().equals("search");
    }

    /** The search body: query clauses, the time range and {@code extraFilter}, plus sort/aggregations. */
    ObjectNode body(String from, String to, JsonNode extraFilter) {
        ObjectNode body = NODES.objectNode();
        ObjectNode bool = body.putObject("query").putObject("bool");
        ArrayNode filters = bool.putArray("filter");
        filter.forEach(filters::add);
        ObjectNode range = filters.addObject().putObject("range").putObject(timeField());
        range.put("gte", from);
        range.put("lte", to);
        range.put("format", "strict_date_optional_time");
        filters.add(extraFilter);
        if (!mustNot.isEmpty()) {
            ArrayNode not = bool.putArray("must_not");
            mustNot.forEach(not::add);
        }
        body.put("track_total_hits", true);
        if (isSavedSearch()) {
            body.put("size", 20);
            body.set("sort", sort);
            ArrayNode requested = body.putArray("fields");
            columns.forEach(requested::add);
        } else {
            body.put("size", 0);
        }
        if (aggregations != null) {
            body.set("aggs", aggregations);
        }
        return body;
    }

    /** Field names a query DSL clause names (match, match_phrase, term(s), range, prefix, wildcard, exists, ...). */
    static Set<String> fieldsOfDsl(JsonNode dsl) {
        Set<String> out = new java.util.LinkedHashSet<>();
        collectDslFields(dsl, out);
        return out;
    }

    private static void collectDslFields(JsonNode node, Set<String> out) {
        if (node.isArray()) {
            node.forEach(n -> collectDslFields(n, out));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "match":
                case "match_phrase":
                case "term":
                case "terms":
                case "range":
                case "prefix":
                case "wildcard":
                    e.getValue().fieldNames().forEachRemaining(f -> {
                        if (!f.equals("boost")) {
                            out.add(f);
                        }
                    });
                    break;
                case "exists":
                    out.add(e.getValue().path("field").asText());
                    break;
                case "nested":
                    out.add(e.getValue().path("path").asText());
                    collectDslFields(e.getValue().path("query"), out);
                    break;
                case "query_string":
                case "multi_match":
                    e.getValue().path("fields").forEach(f -> out.add(f.asText()));
                    break;
                default:
                    collectDslFields(e.getValue(), out);
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }

    /** A Lens metric column and how to read its value from an aggregation response. */
    static final class LensMetric {
        final String columnId;
        final String operation;
        /** Name of the aggregation holding the value; null for an unfiltered count (the bucket's doc_count). */
        final String aggregation;
        /** Path below that aggregation to the value, e.g. "value", "doc_count", "values/50.0". */
        final String valuePath;

        LensMetric(String columnId, String operation, String aggregation, String valuePath) {
            this.columnId = columnId;
            this.operation = operation;
            this.aggregation = aggregation;
            this.valuePath = valuePath;
        }
    }
}

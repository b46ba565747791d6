package io.sift.connectors.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sift.connectors.kibana.PlannedQuery.LensMetric;
import io.sift.connectors.kibana.PlannedQuery.Need;
import io.sift.connectors.kibana.SavedObjects.SavedObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns saved searches and Lens visualizations into the Elasticsearch requests Kibana would run for them: the query
 * (KQL and filters), and for Lens the aggregation tree of each layer (bucket columns in column order, outermost
 * first, with the metric columns inside the innermost bucket), as Lens's form-based data source builds it.
 * Operations Sift's objects do not use are rejected rather than guessed.
 */
final class SavedObjectQueries {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Lens picks "auto" intervals from the time range; the tests' data spans hours, so half-hour buckets. */
    static final String AUTO_INTERVAL = "30m";
    private static final Pattern FIXED_INTERVAL = Pattern.compile("\\d+(ms|s|m|h|d)");
    private static final Pattern CALENDAR_INTERVAL = Pattern.compile("1?[wMqy]");

    private SavedObjectQueries() {}

    /** Every saved search and every layer of every Lens visualization in deploy/kibana. */
    static List<PlannedQuery> all(SavedObjects objects) {
        List<PlannedQuery> out = new ArrayList<>();
        for (SavedObject search : objects.ofType("search")) {
            out.add(forSearch(objects, search));
        }
        for (SavedObject lens : objects.ofType("lens")) {
            out.addAll(forLens(objects, lens));
        }
        return out;
    }

    /** A saved search as Discover runs it: query, filters, sort, the columns, and the histogram (with breakdown). */
    static PlannedQuery forSearch(SavedObjects objects, SavedObject search) {
        JsonNode source = search.stringified("/kibanaSavedObjectMeta/searchSourceJSON");
        SavedObject dataView = objects.dataView(search, source.path("indexRefName").asText());
        PlannedQuery q = new PlannedQuery(search.type() + " " + search.id(), search, dataView);
        q.addKql(source.path("query"));
        for (JsonNode filter : source.path("filter")) {
            String indexRef = filter.at("/meta/indexRefName").asText("");
            if (!indexRef.isEmpty()) {
                objects.dataView(search, indexRef);
            }
            q.addFilter(filter);
        }
        for (JsonNode column : search.attributes().path("columns")) {
            if (!column.asText().equals("_source")) {
                q.columns.add(column.asText());
                q.need(column.asText());
            }
        }
        if (q.columns.isEmpty()) {
            throw new AssertionError(search + ": no columns");
        }
        for (JsonNode sort : search.attributes().path("sort")) {
            String field = sort.path(0).asText();
            q.need(field, Need.AGGREGATABLE);
            q.sort.addObject().putObject(field).put("order", sort.path(1).asText("desc"));
        }
        // Discover's histogram over the time field, split by the breakdown field when one is saved.
        ObjectNode histogram = NODES.objectNode();
        histogram.putObject("date_histogram").put("field", q.timeField()).put("fixed_interval", AUTO_INTERVAL);
        q.bucketColumns.add("histogram");
        String breakdown = search.attributes().path("breakdownField").asText("");
        if (!breakdown.isEmpty()) {
            q.need(breakdown, Need.AGGREGATABLE);
            histogram.putObject("aggs").putObject("breakdown").putObject("terms").put("field", breakdown).put("size", 10);
            q.bucketColumns.add("breakdown");
        }
        q.aggregations = NODES.objectNode();
        q.aggregations.set("histogram", histogram);
        return q;
    }

    /** One planned query per layer of a Lens visualization (form-based data source). */
    static List<PlannedQuery> forLens(SavedObjects objects, SavedObject lens) {
        JsonNode state = lens.attributes().path("state");
        JsonNode layers = state.at("/datasourceStates/formBased/layers");
        if (!layers.isObject() || layers.isEmpty()) {
            throw new AssertionError(lens + ": no form-based layers");
        }
        List<PlannedQuery> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String layerId = entry.getKey();
            JsonNode layer = entry.getValue();
            SavedObject dataView = objects.dataView(lens, "indexpattern-datasource-layer-" + layerId);
            PlannedQuery q = new PlannedQuery(lens.type() + " " + lens.id() + " layer " + layerId, lens, dataView);
            q.addKql(state.path("query"));
            for (JsonNode filter : state.path("filters")) {
                q.addFilter(filter);
            }
            planLayer(q, layer);
            out.add(q);
        }
        return out;
    }

    private static void planLayer(PlannedQuery q, JsonNode layer) {
        JsonNode columns = layer.path("columns");
        List<String> order = new ArrayList<>();
        layer.path("columnOrder").forEach(c -> order.add(c.asText()));
        List<String> metricIds = new ArrayList<>();
        for (String id : order) {
            JsonNode column = columns.path(id);
            if (column.isMissingNode()) {
                throw new AssertionError(q + ": columnOrder names " + id + ", which is not a column");
            }
            (column.path("isBucketed").asBoolean() ? q.bucketColumns : metricIds).add(id);
        }
        columns.fieldNames().forEachRemaining(id -> {
            if (!order.contains(id)) {
                throw new AssertionError(q + ": column " + id + " is missing from columnOrder");
            }
        });

        ObjectNode inner = NODES.objectNode();
        for (String id : metricIds) {
            q.metrics.add(metric(q, id, columns.path(id), inner));
        }
        for (int i = q.bucketColumns.size() - 1; i >= 0; i--) {
            String id = q.bucketColumns.get(i);
            ObjectNode bucket = bucket(q, id, columns.path(id), columns, inner);
            if (!inner.isEmpty()) {
                bucket.set("aggs", inner);
            }
            inner = NODES.objectNode();
            inner.set(id, bucket);
        }
        q.aggregations = inner;
    }

    /** Adds the aggregation of a metric column to {@code into} (nothing for an unfiltered count). */
    private static LensMetric metric(PlannedQuery q, String id, JsonNode column, ObjectNode into) {
        String operation = column.path("operationType").asText();
        String field = column.path("sourceField").asText();
        ObjectNode agg = NODES.objectNode();
        String valuePath;
        switch (operation) {
            case "count":
                agg = null;
                valuePath = "doc_count";
                break;
            case "sum":
            case "min":
            case "max":
            case "average":
                needNumberOrDate(q, column, field);
                agg.putObject(operation.equals("average") ? "avg" : operation).put("field", field);
                valuePath = "value";
                break;
            case "median":
            case "percentile":
                needNumberOrDate(q, column, field);
                double percent = operation.equals("median") ? 50 : column.at("/params/percentile").asDouble(Double.NaN);
                if (Double.isNaN(percent)) {
                    throw new AssertionError(q + ": percentile column " + id + " without params.percentile");
                }
                ObjectNode percentiles = agg.putObject("percentiles");
                percentiles.put("field", field);
                percentiles.putArray("percents").add(percent);
                valuePath = "values/" + percent;
                break;
            case "unique_count":
                q.need(field, Need.AGGREGATABLE);
                agg.putObject("cardinality").put("field", field);
                valuePath = "value";
                break;
            case "last_value": {
                // Lens runs top_metrics (field of the latest document by params.sortField). top_metrics is in the
                // x-pack analytics module, which the tests' trimmed Elasticsearch lacks; top_hits of size 1 on the same
                // sort reads the same value for the single-valued fields used here.
                q.need(field, Need.AGGREGATABLE, dataTypeNeed(q, column));
                String sortField = column.at("/params/sortField").asText("");
                if (sortField.isEmpty() || column.at("/params/showArrayValues").asBoolean(false)) {
                    throw new AssertionError(q + ": last_value column " + id + " needs params.sortField and"
                            + " showArrayValues false (array values are not translated by this test)");
                }
                q.need(sortField, Need.AGGREGATABLE, Need.DATE);
                ObjectNode top = agg.putObject("top_hits");
                top.put("size", 1);
                top.putArray("sort").addObject().putObject(sortField).put("order", "desc");
                top.put("_source", false);
                top.putArray("docvalue_fields").add(field);
                valuePath = "hits/hits/0/fields/" + field + "/0";
                break;
            }
            default:
                throw new AssertionError(q + ": Lens operation " + operation + " (column " + id
                        + ") is not translated by this test; add it to SavedObjectQueries");
        }
        JsonNode filter = column.path("filter");
        if (filter.isObject()) {
            Kql.Translation kql = Kql.translate(filter.path("query").asText(""));
            kql.fields.forEach(q::need);
            ObjectNode filtered = NODES.objectNode();
            filtered.set("filter", kql.query);
            if (agg != null) {
                filtered.putObject("aggs").set("value", agg);
                valuePath = "value/" + valuePath;
            }
            agg = filtered;
        }
        if (agg != null) {
            into.set(id, agg);
        }
        return new LensMetric(id, operation, agg == null ? null : id, valuePath);
    }

    private static ObjectNode bucket(PlannedQuery q, String id, JsonNode column, JsonNode columns, ObjectNode inner) {
        String operation = column.path("operationType").asText();
        String field = column.path("sourceField").asText();
        JsonNode params = column.path("params");
        ObjectNode agg = NODES.objectNode();
        switch (operation) {
            case "terms": {
                q.need(field, Need.AGGREGATABLE, dataTypeNeed(q, column));
                ObjectNode terms = agg.putObject("terms");
                terms.put("field", field);
                terms.put("size", params.path("size").asInt(5));
                String direction = params.path("orderDirection").asText("desc");
                JsonNode orderBy = params.path("orderBy");
                switch (orderBy.path("type").asText()) {
                    case "alphabetical":
                        terms.putObject("order").put("_key", direction);
                        break;
                    case "column": {
                        String by = orderBy.path("columnId").asText();
                        JsonNode byColumn = columns.path(by);
                        if (byColumn.isMissingNode() || byColumn.path("isBucketed").asBoolean()) {
                            throw new AssertionError(q + ": terms " + id + " ordered by " + by
                                    + ", which is not a metric column of the layer");
                        }
                        terms.putObject("order").put(orderPath(q, by, byColumn, inner), direction);
                        break;
                    }
                    default:
                        throw new AssertionError(q + ": terms order " + orderBy + " is not translated by this test");
                }
                break;
            }
            case "date_histogram": {
                q.need(field, Need.AGGREGATABLE, Need.DATE);
                ObjectNode histogram = agg.putObject("date_histogram");
                histogram.put("field", field);
                String interval = params.path("interval").asText("auto");
                if (interval.equals("auto")) {
                    histogram.put("fixed_interval", AUTO_INTERVAL);
                } else if (FIXED_INTERVAL.matcher(interval).matches()) {
                    histogram.put("fixed_interval", interval);
                } else if (CALENDAR_INTERVAL.matcher(interval).matches()) {
                    histogram.put("calendar_interval", interval.startsWith("1") ? interval : "1" + interval);
                } else {
                    throw new AssertionError(q + ": date_histogram interval " + interval);
                }
                break;
            }
            case "range": {
                q.need(field, Need.AGGREGATABLE, Need.NUMERIC);
                if (!params.path("type").asText().equals("range")) {
                    throw new AssertionError(q + ": range column " + id + " of type " + params.path("type")
                            + " (only explicit ranges are translated by this test)");
                }
                ObjectNode range = agg.putObject("range");
                range.put("field", field);
                ArrayNode ranges = range.putArray("ranges");
                for (JsonNode r : params.path("ranges")) {
                    ObjectNode bounds = ranges.addObject();
                    if (r.path("from").isNumber()) {
                        bounds.set("from", r.path("from"));
                    }
                    if (r.path("to").isNumber()) {
                        bounds.set("to", r.path("to"));
                    }
                }
                break;
            }
            case "filters": {
                ObjectNode named = agg.putObject("filters").putObject("filters");
                for (JsonNode f : params.path("filters")) {
                    Kql.Translation kql = Kql.translate(f.at("/input/query").asText(""));
                    kql.fields.forEach(q::need);
                    named.set(f.path("label").asText(kql.query.toString()), kql.query);
                }
                break;
            }
            default:
                throw new AssertionError(q + ": Lens bucket operation " + operation + " (column " + id
                        + ") is not translated by this test; add it to SavedObjectQueries");
        }
        return agg;
    }

    /** The terms order key for a metric column, adding that metric's aggregation next to the inner buckets. */
    private static String orderPath(PlannedQuery q, String by, JsonNode byColumn, ObjectNode inner) {
        String operation = byColumn.path("operationType").asText();
        if (byColumn.path("filter").isObject()) {
            throw new AssertionError(q + ": ordering by filtered column " + by + " is not translated by this test");
        }
        if (operation.equals("count")) {
            return "_count";
        }
        if (!List.of("sum", "min", "max", "average", "unique_count").contains(operation)) {
            throw new AssertionError(q + ": ordering by a " + operation + " column is not translated by this test");
        }
        if (!inner.has(by)) {
            metric(q, by, byColumn, inner);
        }
        return by;
    }

    private static void needNumberOrDate(PlannedQuery q, JsonNode column, String field) {
        q.need(field, Need.AGGREGATABLE, dataTypeNeed(q, column));
    }

    /** What a Lens column's data type says about its field. */
    private static Need dataTypeNeed(PlannedQuery q, JsonNode column) {
        String dataType = column.path("dataType").asText();
        switch (dataType) {
            case "number":
                return Need.NUMERIC;
            case "date":
                return Need.DATE;
            case "string":
                return Need.KEYWORD;
            default:
                throw new AssertionError(q + ": column data type " + dataType + " is not checked by this test");
        }
    }

    /** Reads a value along a slash-separated path ("values/50.0", "hits/hits/0/..."); null when absent or JSON null. */
    static JsonNode valueAt(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("/")) {
            current = current.isArray() && part.matches("\\d+") ? current.path(Integer.parseInt(part)) : current.path(part);
        }
        return current.isMissingNode() || current.isNull() ? null : current;
    }
}

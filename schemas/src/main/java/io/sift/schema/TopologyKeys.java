package io.sift.schema;

/**
 * The Kafka key of a {@link TopologyUpdate} on the compacted topology topic: one key per fact, so that compaction, which
 * keeps the latest record per key, keeps every live item and every live edge.
 *
 * <ul>
 *   <li>an item: {@code item/<id>}</li>
 *   <li>an edge: {@code edge/<from>/<type>/<to>}, e.g. {@code edge/checkout/CALLS/orders}</li>
 * </ul>
 *
 * Ids are written with {@code %} as {@code %25} and {@code /} as {@code %2F}, so a key names exactly one fact. A DELETE
 * is sent under the key of the fact it deletes: it replaces the upsert in compaction and stays on the topic, so a
 * reader replaying the topic learns of the deletion. The job reads values only, so records written under older keys
 * (the item id, or an edge's {@code from} item) are still applied.
 */
public final class TopologyKeys {

    private TopologyKeys() {}

    /** The key of an update: its item's, or else its edge's. */
    public static String of(TopologyUpdate update) {
        if (update.getItem() != null) {
            return item(update.getItem().getId());
        }
        if (update.getEdge() != null) {
            TopologyEdge edge = update.getEdge();
            return edge(edge.getFrom(), edge.getType(), edge.getTo());
        }
        throw new IllegalArgumentException("a topology update names an item or an edge: " + update);
    }

    public static String item(CharSequence id) {
        return "item/" + escape(id);
    }

    public static String edge(CharSequence from, EdgeType type, CharSequence to) {
        return "edge/" + escape(from) + "/" + type.name() + "/" + escape(to);
    }

    private static String escape(CharSequence id) {
        String text = id.toString();
        if (text.indexOf('%') < 0 && text.indexOf('/') < 0) {
            return text;
        }
        return text.replace("%", "%25").replace("/", "%2F");
    }
}

package io.sift.connectors.kafka;

import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Finds strings that were not valid UTF-8. Avro decodes malformed UTF-8 without complaint, replacing each bad
 * sequence with U+FFFD; so a decoded record holding more U+FFFD characters than its bytes hold encoded U+FFFD
 * (EF BF BD, which a producer may send on purpose) had malformed strings.
 */
final class Utf8Check {

    private static final char REPLACEMENT = '\uFFFD';

    private Utf8Check() {}

    /** U+FFFD characters in every string of the datum (records, maps, arrays, unions). */
    static int replacementChars(Object datum) {
        if (datum instanceof String text) {
            int n = 0;
            for (int i = text.indexOf(REPLACEMENT); i >= 0; i = text.indexOf(REPLACEMENT, i + 1)) {
                n++;
            }
            return n;
        }
        if (datum instanceof CharSequence text) {
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == REPLACEMENT) {
                    n++;
                }
            }
            return n;
        }
        if (datum instanceof IndexedRecord record) {
            int n = 0;
            for (Schema.Field field : record.getSchema().getFields()) {
                n += replacementChars(record.get(field.pos()));
            }
            return n;
        }
        if (datum instanceof Map<?, ?> map) {
            int n = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += replacementChars(e.getKey()) + replacementChars(e.getValue());
            }
            return n;
        }
        if (datum instanceof Collection<?> values) {
            int n = 0;
            for (Object value : values) {
                n += replacementChars(value);
            }
            return n;
        }
        return 0;
    }

    /** Occurrences of U+FFFD's UTF-8 encoding in the raw bytes. */
    static int encodedReplacementChars(byte[] bytes) {
        int n = 0;
        for (int i = 0; i + 2 < bytes.length; i++) {
            if (bytes[i] == (byte) 0xEF && bytes[i + 1] == (byte) 0xBF && bytes[i + 2] == (byte) 0xBD) {
                n++;
                i += 2;
            }
        }
        return n;
    }
}

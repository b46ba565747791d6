package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sift.core.health.KpiSummary;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The pending KPI summaries' state form: every field of a summary survives, so a new field must join the form. */
class KpiSummarySerializerTest {

    @Test
    void everyFieldSurvivesTheRoundTrip() throws Exception {
        KpiSummary k = new KpiSummary();
        int n = 1;
        for (Field f : KpiSummary.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            // A distinct non-default value per field, so a field the form drops or swaps shows.
            Class<?> type = f.getType();
            if (type == String.class) {
                f.set(k, "v" + n);
            } else if (type == long.class) {
                f.setLong(k, 1000L + n);
            } else if (type == int.class) {
                f.setInt(k, 10 + n);
            } else if (type == double.class) {
                f.setDouble(k, 0.5 + n);
            } else if (type == boolean.class) {
                f.setBoolean(k, true);
            } else if (f.getName().equals("rates")) {
                k.rates.put("i-1|http.server.request.rate", new double[] {12.5, 3});
                k.rates.put("i-2|http.server.request.rate", new double[] {7, 2});
            } else {
                throw new AssertionError("KpiSummary." + f.getName() + " (" + type + ") is not covered: add it to"
                        + " KpiSummary.writeTo/readFrom, raise KpiSummarySerializer.FORM and cover it here");
            }
            n++;
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        KpiSummarySerializer.INSTANCE.serialize(k, out);
        KpiSummary back = KpiSummarySerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        for (Field f : KpiSummary.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            if (f.getName().equals("rates")) {
                assertEquals(k.rates.keySet(), back.rates.keySet());
                for (Map.Entry<String, double[]> e : k.rates.entrySet()) {
                    assertArrayEquals(e.getValue(), back.rates.get(e.getKey()));
                }
            } else {
                assertEquals(f.get(k), f.get(back), f.getName());
            }
        }
    }

    @Test
    void anEmptySummaryKeepsItsNullsAndNaN() throws Exception {
        KpiSummary back = KpiSummarySerializer.INSTANCE.copy(new KpiSummary());
        assertNull(back.service);
        assertNull(back.environment);
        assertEquals(Double.NaN, back.saturation);
        assertNotEquals(null, back.rates);
    }
}

package io.sift.eval.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointSequenceTest {

    private static SeriesTable table(String service, long[] times, double[][] values) {
        return new SeriesTable(new Resource(service, null, null, "env"), Map.of("k", "v"),
                List.of(new SeriesTable.Column("a", "1", MetricKind.GAUGE),
                        new SeriesTable.Column("b", "By", MetricKind.GAUGE)), times, values);
    }

    @Test
    void mergesTablesInTimeOrderAndSkipsMissingCells() {
        SeriesTable first = table("x", new long[] {1000, 3000},
                new double[][] {{1, Double.NaN}, {3, 30}});
        SeriesTable second = table("y", new long[] {1000, 2000, 4000},
                new double[][] {{Double.NaN, Double.NaN}, {2, 20}, {4, Double.NaN}});
        PointSequence sequence = new PointSequence(List.of(first, second));

        assertEquals(6, sequence.size());
        List<String> seen = new ArrayList<>();
        for (long i = 0; i < sequence.size(); i++) {
            MetricPoint p = sequence.get(i);
            seen.add(p.getTime().toEpochMilli() + " " + p.getResource().getService() + " " + p.getName() + "="
                    + p.getValue());
        }
        assertEquals(List.of("1000 x a=1.0", "2000 y a=2.0", "2000 y b=20.0", "3000 x a=3.0", "3000 x b=30.0",
                "4000 y a=4.0"), seen);
        assertEquals("v", sequence.get(0).getLabels().get("k"));
        assertEquals(List.of(1000L, 4000L), List.of(sequence.span()[0], sequence.span()[1]));
        assertThrows(IndexOutOfBoundsException.class, () -> sequence.get(6));
    }

    @Test
    void refusesTimesThatDoNotIncrease() {
        assertThrows(IllegalArgumentException.class,
                () -> table("x", new long[] {2000, 1000}, new double[][] {{1, 1}, {2, 2}}));
    }

    @Test
    void podNamesGiveTheirWorkload() {
        assertEquals("carts-db", KubernetesNames.workloadOf("carts-db-d765fd64d-67pr6"));
        assertEquals("front-end", KubernetesNames.workloadOf("front-end-d75fdb4bc-8vl6n"));
        assertEquals("kafka", KubernetesNames.workloadOf("kafka-2"));
        assertEquals("standalone", KubernetesNames.workloadOf("standalone"));
    }
}

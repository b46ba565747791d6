package io.sift.eval.petshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the benchmark's files: metrics tables, the call graph, and issue folders under any split name. */
class PetshopFilesTest {

    @TempDir
    Path dir;

    private static final String METRICS = """
            microservice,front,front,back
            metric,latency,availability,latency
            statistic,Average,Average,Average
            unix_timestamp,,,
            1681855320.0,0.5,100.0,
            1681855620.0,0.7,99.5,0.25
            """;

    @Test
    void aMetricsTableReadsColumnsTimesAndEmptyCellsAsNaN() throws IOException {
        Files.writeString(dir.resolve("metrics.csv"), METRICS);
        MetricTable table = MetricTable.read(dir.resolve("metrics.csv"));
        assertEquals(2, table.rows());
        assertEquals(1681855620_000L, table.timeMillis(1));
        int back = table.columnOf("back", "latency", "Average");
        assertEquals(2, back);
        assertTrue(Double.isNaN(table.value(0, back)));
        assertEquals(0.25, table.value(1, back));
        assertEquals(-1, table.columnOf("back", "availability", "Average"));
    }

    @Test
    void theGraphIsReadAsCallerToCallee() throws IOException {
        Files.writeString(dir.resolve("graph.csv"), """
                ,front,back,db
                front,0.0,1.0,0.0
                back,0.0,0.0,1.0
                db,0.0,0.0,0.0
                """);
        assertEquals(List.of(new PetshopScenario.CallEdge("front", "back"), new PetshopScenario.CallEdge("back", "db")),
                PetshopScenario.readGraph(dir.resolve("graph.csv")));
    }

    @Test
    void issueFoldersAreFoundUnderAnySplitNameAndNormalDataIsOptional() throws IOException {
        Path scenario = dir.resolve("some_traffic");
        Files.createDirectories(scenario);
        Files.writeString(scenario.resolve("graph.csv"), ",front,back\nfront,0.0,1.0\nback,0.0,0.0\n");
        for (String issue : List.of("train/issue_0", "holdout/issue_10", "holdout/issue_2")) {
            Path folder = scenario.resolve(issue);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("metrics.csv"), METRICS);
            Files.writeString(folder.resolve("target.json"), """
                    {"target": {"node": "front", "metric": "latency", "agg": "Average", "timestamp": 1681855600},
                     "root_cause": {"node": "back", "metric": null}}
                    """);
        }
        PetshopScenario read = PetshopScenario.read(scenario);
        assertTrue(read.normal().isEmpty());
        assertEquals(List.of("holdout/issue_2", "holdout/issue_10", "train/issue_0"),
                read.issues().stream().map(PetshopIssue::id).toList());
        PetshopIssue first = read.issues().get(0);
        assertEquals("front", first.targetItem());
        assertEquals("latency", first.kind());
        assertEquals("back", first.rootCause());
        assertEquals(1681855600_000L, first.targetTimeMillis());
    }
}

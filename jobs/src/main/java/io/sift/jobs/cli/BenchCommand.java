package io.sift.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.jobs.bench.ElasticsearchBulkBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift bench [--json FILE]}: throughput figures with a baseline measured side by side in the same run.
 * Benchmarks are not tests: run them on a quiet machine and compare ratios, not absolute figures, across machines.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Sift's stages against a baseline in the same run; --json for scripts.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--elasticsearch", description = "Elasticsearch URL (the launcher starts the local stack and sets it).",
            defaultValue = "${env:SIFT_ELASTICSEARCH_URL:-http://127.0.0.1:19200}")
    String elasticsearch;

    @Option(names = "--documents", description = "Documents per Elasticsearch stage.", defaultValue = "100000")
    int documents;

    @Option(names = "--bulk-size", description = "Documents per bulk request.", defaultValue = "1000")
    int bulkSize;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "Sift bench on %d cores (Elasticsearch at %s, on the same machine)%n%n", cores,
                elasticsearch);
        List<ElasticsearchBulkBench.Result> results = new ArrayList<>(
                ElasticsearchBulkBench.run(elasticsearch, documents, bulkSize));
        double baseline = results.get(0).documentsPerSecond();
        System.out.printf(Locale.ROOT, "%-48s %10s %9s %12s %10s%n", "STAGE", "RECORDS", "SECONDS", "RECORDS/S", "× BASELINE");
        for (ElasticsearchBulkBench.Result result : results) {
            System.out.printf(Locale.ROOT, "%-48s %10d %9.2f %12.0f %10.2f%n", result.stage(), result.documents(),
                    result.seconds(), result.documentsPerSecond(), result.documentsPerSecond() / baseline);
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("cores", cores);
            ArrayNode stages = root.putArray("elasticsearchBulk");
            for (ElasticsearchBulkBench.Result result : results) {
                stages.addObject().put("stage", result.stage()).put("records", result.documents())
                        .put("seconds", result.seconds()).put("recordsPerSecond", result.documentsPerSecond())
                        .put("ratioToBaseline", result.documentsPerSecond() / baseline);
            }
            Files.write(json, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            System.out.println("\nFigures as JSON: " + json.toAbsolutePath());
        }
        return 0;
    }
}

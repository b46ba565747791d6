package io.sift.jobs.cli;

import io.sift.jobs.SiftJobMain;
import io.sift.jobs.SiftSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the Kafka → Elasticsearch / Kafka job in this process (a local MiniCluster). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Sift job in this process on Kafka input, writing to Elasticsearch and the incident topic.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", description = "Override one setting, e.g. -Dsift.kafka.bounded=true", mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        SiftJobMain.run(SiftSettings.load(config, overrides));
        return 0;
    }
}

package io.sift.jobs;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of alerts from existing monitoring (Alertmanager, Grafana, generic webhooks) as correlation input. */
public final class AlertOptions {

    private AlertOptions() {}

    public static final ConfigOption<String> TOPIC_ALERTS = ConfigOptions.key("sift.kafka.topic.alerts")
            .stringType().defaultValue("sift.alerts")
            .withDescription("Topic of Alert records (Avro single-object encoding) from the monitoring a team already "
                    + "runs, as the gateway writes them: firing alerts open or join incidents like anomalies, resolved "
                    + "ones end their part, repeats deduplicate by fingerprint. Optional: Sift subscribes by name, so "
                    + "the job runs (reading nothing) until the topic exists. Invalid records are dead-lettered "
                    + "(stage validate-alerts).");
}

package io.sift.jobs;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the Sift job, declared once: typed, with a default and a description. A configuration file
 * ({@code key: value} lines) and {@code -Dkey=value} overrides fill a Flink {@code Configuration} with them.
 */
public final class SiftOptions {

    private SiftOptions() {}

    public static final ConfigOption<String> DEFAULT_ENVIRONMENT = ConfigOptions.key("sift.environment.default")
            .stringType().defaultValue("prod")
            .withDescription("Environment of signals whose resource names none. Correlation never crosses environments.");

    public static final ConfigOption<String> KAFKA_BOOTSTRAP = ConfigOptions.key("sift.kafka.bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, e.g. 127.0.0.1:19092. Required for the Kafka job.");

    public static final ConfigOption<String> KAFKA_GROUP_ID = ConfigOptions.key("sift.kafka.group-id")
            .stringType().defaultValue("sift")
            .withDescription("Consumer group id of the job's Kafka sources (offsets are committed on checkpoints).");

    public static final ConfigOption<Boolean> KAFKA_BOUNDED = ConfigOptions.key("sift.kafka.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Read the input topics up to their offsets at start and then finish (demo, tests, replays).");

    public static final ConfigOption<String> TOPIC_METRICS = ConfigOptions.key("sift.kafka.topic.metrics")
            .stringType().defaultValue("sift.metrics").withDescription("Topic of MetricPoint records.");
    public static final ConfigOption<String> TOPIC_LOGS = ConfigOptions.key("sift.kafka.topic.logs")
            .stringType().defaultValue("sift.logs").withDescription("Topic of LogRecord records.");
    public static final ConfigOption<String> TOPIC_CHANGES = ConfigOptions.key("sift.kafka.topic.changes")
            .stringType().defaultValue("sift.changes").withDescription("Topic of ChangeEvent records.");
    public static final ConfigOption<String> TOPIC_TOPOLOGY = ConfigOptions.key("sift.kafka.topic.topology")
            .stringType().defaultValue("sift.topology").withDescription("Topic of TopologyUpdate records (the CMDB change log).");
    public static final ConfigOption<String> TOPIC_INCIDENTS = ConfigOptions.key("sift.kafka.topic.incidents")
            .stringType().defaultValue("sift.incidents")
            .withDescription("Topic the incident versions are written to, keyed by incident id (compact it).");
    public static final ConfigOption<String> TOPIC_DEAD_LETTERS = ConfigOptions.key("sift.kafka.topic.dead-letters")
            .stringType().defaultValue("sift.deadletter")
            .withDescription("Topic of DeadLetter envelopes: every record Sift could not use, with the reason.");

    public static final ConfigOption<org.apache.flink.configuration.MemorySize> DEAD_LETTER_MAX_REQUEST_SIZE =
            ConfigOptions.key("sift.kafka.dead-letter.max-request-size").memoryType()
            .defaultValue(org.apache.flink.configuration.MemorySize.parse("4 mb"))
            .withDescription("max.request.size of the dead-letter producer: a dead letter carries the original record, so"
                    + " it must exceed the input topics' max.message.bytes (the dead-letter topic's max.message.bytes"
                    + " must be as large; deploy/kafka/topics.json: 4 MiB). Payloads above 3 MiB are cut, with a note.");

    public static final ConfigOption<String> ELASTICSEARCH_URL = ConfigOptions.key("sift.elasticsearch.url")
            .stringType().noDefaultValue()
            .withDescription("Elasticsearch URL, e.g. http://127.0.0.1:19200. When unset, nothing is sent to Elasticsearch.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = ConfigOptions.key("sift.watermark.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("How late, in event time, a record may arrive and still be placed in order.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("sift.watermark.idleness")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A source partition silent this long stops holding back event time. Keep it well above"
                    + " the longest stall of a busy reader: a reader wrongly taken for idle lets event time move on,"
                    + " and its records then arrive late and are correlated in arrival order, not event-time order."
                    + " 0 turns it off (a replay of finished inputs, where no input is ever idle).");
    public static final ConfigOption<Duration> MAX_FUTURE = ConfigOptions.key("sift.validate.max-future")
            .durationType().defaultValue(Duration.ofDays(1))
            .withDescription("Records time-stamped further ahead of the wall clock are dead-lettered.");

    public static final ConfigOption<String> MIN_EVENT_TIME = ConfigOptions.key("sift.validate.min-event-time")
            .stringType().defaultValue("2000-01-01T00:00:00Z")
            .withDescription("Records time-stamped before this instant (ISO-8601) are dead-lettered (TIMESTAMP_TOO_OLD):"
                    + " epoch-zero clocks and seconds sent as milliseconds. Old data replayed later is not refused"
                    + " for its age; records later than the out-of-orderness behind their partition are (LATE).");
    public static final ConfigOption<org.apache.flink.configuration.MemorySize> MAX_RECORD_SIZE =
            ConfigOptions.key("sift.validate.max-record-size").memoryType()
            .defaultValue(org.apache.flink.configuration.MemorySize.parse("256 kb"))
            .withDescription("Input records larger than this (e.g. a 1 MB log line) are dead-lettered undecoded"
                    + " (TOO_LARGE), with their bytes, so one huge record cannot blow up the state or the outputs;"
                    + " 0 = no limit.");
    public static final ConfigOption<Integer> DUPLICATE_MEMORY = ConfigOptions.key("sift.validate.duplicate-memory")
            .intType().defaultValue(20_000)
            .withDescription("Recent records remembered per input partition (about 100 bytes each, none older than the"
                    + " out-of-orderness) to dead-letter byte-identical repeats (DUPLICATE), e.g. a producer's retry;"
                    + " 0 = off. Repeated samples of a series the memory missed are dead-lettered by the detector.");

    public static final ConfigOption<Double> DETECT_THRESHOLD = ConfigOptions.key("sift.detect.threshold")
            .doubleType().defaultValue(6.0)
            .withDescription("Robust standard deviations from the baseline beyond which a sample is anomalous.");
    public static final ConfigOption<Integer> DETECT_WARM_UP = ConfigOptions.key("sift.detect.warm-up-samples")
            .intType().defaultValue(20).withDescription("Samples per series before scoring starts.");
    public static final ConfigOption<Double> DETECT_MIN_RELATIVE = ConfigOptions.key("sift.detect.min-relative-deviation")
            .doubleType().defaultValue(0.2)
            .withDescription("Smallest deviation relative to the baseline that may be anomalous (0.2 = 20 %).");
    public static final ConfigOption<String> DETECT_DETECTORS = ConfigOptions.key("sift.detect.detectors")
            .stringType().defaultValue("robust-baseline")
            .withDescription("Detectors of every metric without its own: robust-baseline (alone), or any of baseline"
                    + " (seasonal robust baseline), rcf (shingled Random Cut Forest: ~30k points/s per core and a few"
                    + " hundred KB per series), cusum (level shifts), combined with '+', e.g. baseline+cusum.");
    public static final ConfigOption<java.util.Map<String, String>> DETECT_DETECTORS_BY_METRIC =
            ConfigOptions.key("sift.detect.detectors.by-metric").mapType().defaultValue(java.util.Map.of())
            .withDescription("Detectors per metric name, overriding sift.detect.detectors, e.g."
                    + " 'checkout.latency:baseline+rcf,queue.depth:baseline+cusum'.");
    public static final ConfigOption<Integer> DETECT_MODEL_WARM_UP = ConfigOptions.key("sift.detect.model.warm-up-samples")
            .intType().defaultValue(300)
            .withDescription("Samples per series before the baseline/rcf/cusum model scores with its calibrated scores.");
    public static final ConfigOption<Integer> DETECT_QUICK_WARM_UP = ConfigOptions.key("sift.detect.quick-warm-up-samples")
            .intType().defaultValue(20)
            .withDescription("baseline/rcf/cusum: after this many samples (0 = off) a series is already scored, from its"
                    + " baseline with a band that starts wide and narrows until the model's warm-up ends.");
    public static final ConfigOption<Double> DETECT_QUICK_WARM_UP_SIGMAS = ConfigOptions.key("sift.detect.quick-warm-up-sigmas")
            .doubleType().defaultValue(6.0)
            .withDescription("Band of the quick warm-up at its end, in robust standard deviations (wider before).");
    public static final ConfigOption<Integer> DETECT_RCF_TREES = ConfigOptions.key("sift.detect.rcf.trees")
            .intType().defaultValue(30).withDescription("Trees per Random Cut Forest (memory and time grow with it).");
    public static final ConfigOption<Integer> DETECT_RCF_SAMPLE_SIZE = ConfigOptions.key("sift.detect.rcf.sample-size")
            .intType().defaultValue(256).withDescription("Points kept per tree of a Random Cut Forest.");
    public static final ConfigOption<String> DETECT_GAP_POLICY = ConfigOptions.key("sift.detect.gap-policy")
            .stringType().defaultValue("skip")
            .withDescription("Samples missing in a gap (step: the series' shortest interval): skip, zero or previous.");
    public static final ConfigOption<Integer> DETECT_GAP_MAX_FILL = ConfigOptions.key("sift.detect.gap-max-fill")
            .intType().defaultValue(60)
            .withDescription("Most samples the gap policy fills into one gap (the rest of a longer gap is skipped).");
    public static final ConfigOption<Integer> DETECT_MAX_SERIES = ConfigOptions.key("sift.detect.max-series-per-metric")
            .intType().defaultValue(100_000)
            .withDescription("Most active series per metric name per parallel instance (0 = no cap); points of series"
                    + " beyond it are dropped and counted (metric seriesCapDroppedPoints).");
    public static final ConfigOption<String> DETECT_THRESHOLDS = ConfigOptions.key("sift.detect.thresholds")
            .stringType().defaultValue("")
            .withDescription("Static thresholds (detector static-threshold), evaluated alongside the adaptive detector,"
                    + " separated by ';': '<metric>[{service=<name>,<label>=<value>}] <op> <value> [for <duration>]',"
                    + " op one of >, >= (a rise), <, <= (a drop), 'for' the breach time before the episode opens, e.g."
                    + " 'http.server.error.ratio > 0.05 for 2m; db.client.connections.usage >= 0.9'. Score: 50 at the"
                    + " threshold + 50 x distance past it / threshold (100 at twice it).");
    public static final ConfigOption<String> SLO_OBJECTIVES = ConfigOptions.key("sift.slo.objectives")
            .stringType().defaultValue("")
            .withDescription("SLOs on error-ratio series (value = share of bad events), separated by ';':"
                    + " '[<name>=]<service>:<metric>:<objective %>[/<window>]', the rolling budget window in d, h or m"
                    + " (default 28d), e.g. 'checkout:http.server.error.ratio:99.9' or"
                    + " 'checkout-availability=checkout:http.server.error.ratio:99.9/28d'. Alerted by multi-window burn"
                    + " rates (detector slo-burn-rate): page (score 90+) at >= 14.4 over 1h and 5m or >= 6 over 6h and"
                    + " 30m; ticket (score 60+) at >= 1 over 3d and 6h. The error budget (minutes of full outage"
                    + " left in the window), burn rates and status per minute are indexed in sift-slo.");
    public static final ConfigOption<java.util.List<Duration>> HEALTH_WINDOWS = ConfigOptions.key("sift.health.windows")
            .durationType().asList().defaultValues(Duration.ofMinutes(1))
            .withDescription("Event-time windows in which service KPIs (availability, latency, errors, throughput,"
                    + " saturation) and health scores are computed and indexed (sift-service-health), separated by ';',"
                    + " e.g. '1 min;5 min;1 h'. Empty: no service health.");
    public static final ConfigOption<String> HEALTH_WEIGHTS = ConfigOptions.key("sift.health.weights")
            .stringType().defaultValue("")
            .withDescription("How much of a service's health (0-1) one KPI at full severity takes away, overriding the"
                    + " defaults availability:1.0, latency:0.6, errors:0.5, saturation:0.4, throughput:0.3, e.g."
                    + " 'latency:0.8,throughput:0.1'. Own health = 100 x product of (1 - weight x severity / 100), a"
                    + " KPI's severity the peak score of the anomalies hurting it in the window.");
    public static final ConfigOption<Double> HEALTH_DEPENDENCY_IMPACT = ConfigOptions.key("sift.health.dependency-impact")
            .doubleType().defaultValue(0.5)
            .withDescription("How much a dependency's health lowers its callers' (0-1): health = min(own, 100 -"
                    + " impact x (100 - health of the worst dependency)); 0 ignores dependencies, 1 passes them on whole.");
    public static final ConfigOption<Duration> DETECT_LEVEL_SHIFT_ADOPT = ConfigOptions.key("sift.detect.level-shift-adopt")
            .durationType().defaultValue(Duration.ofMillis(io.sift.core.detect.BaselineConfig.DEFAULT_LEVEL_SHIFT_ADOPT_MILLIS))
            .withDescription("An anomaly episode still open this long (event time after its onset) is taken as a level"
                    + " shift: the series' baseline moves to the level of the episode's samples, and the episode ends"
                    + " there (a change point). So a series that steps to a new plateau is anomalous"
                    + " for at most this long; 0 = never adopt (an episode lasts until the series returns).");
    public static final ConfigOption<Duration> SERIES_SILENCE = ConfigOptions.key("sift.detect.silence-timeout")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("An open anomaly of a series that sends nothing for this long ends.");
    public static final ConfigOption<Duration> SERIES_TTL = ConfigOptions.key("sift.detect.series-ttl")
            .durationType().defaultValue(Duration.ofHours(6))
            .withDescription("A series silent this long is forgotten (its baseline starts afresh).");
    public static final ConfigOption<Integer> DETECT_CACHED_SERIES = ConfigOptions.key("sift.detect.cached-series")
            .intType().defaultValue(4096)
            .withDescription("Series per parallel detector whose state (baseline, model, timer) is kept deserialised"
                    + " between samples on RocksDB; written back when they leave this cache and before every"
                    + " checkpoint. More series than this, sampled in turn, each pay a read and a write as without a"
                    + " cache; 0 turns it off. The heap backend keeps objects anyway and ignores it.");

    public static final ConfigOption<Duration> LOG_WINDOW = ConfigOptions.key("sift.logs.error-window")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Tumbling event-time window in which error log lines are counted per service.");
    public static final ConfigOption<Integer> LOG_MAX_TEMPLATES = ConfigOptions.key("sift.logs.max-templates")
            .intType().defaultValue(2_000)
            .withDescription("Log templates kept per service; past it the least recently used one is evicted and counted"
                    + " (metric logTemplateEvictions), so a storm of new templates keeps memory bounded.");
    public static final ConfigOption<Integer> LOG_CACHED_SERVICES = ConfigOptions.key("sift.logs.cached-services")
            .intType().defaultValue(256)
            .withDescription("Services per parallel log miner whose templates are kept deserialised between lines; their"
                    + " state is written back when they leave this cache and before every checkpoint (on RocksDB,"
                    + " reading and writing a service's templates for every line would dominate the log path).");
    public static final ConfigOption<Double> LOG_MIN_ERRORS = ConfigOptions.key("sift.logs.min-error-increase")
            .doubleType().defaultValue(5.0)
            .withDescription("Smallest rise in error lines per window, above the baseline, that may be anomalous.");

    public static final ConfigOption<Duration> CORRELATE_GAP = ConfigOptions.key("sift.correlate.gap")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("An anomaly joins an incident active within this gap.");
    public static final ConfigOption<Integer> CORRELATE_MAX_HOPS = ConfigOptions.key("sift.correlate.max-hops")
            .intType().defaultValue(2)
            .withDescription("An anomaly joins an incident when its item is within this many topology hops of the incident's.");
    public static final ConfigOption<Duration> CORRELATE_QUIET = ConfigOptions.key("sift.correlate.quiet-period")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Quiet time after the last anomaly ended before an incident resolves.");
    public static final ConfigOption<Duration> CORRELATE_REOPEN = ConfigOptions.key("sift.correlate.reopen-window")
            .durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("A recurrence within this time after resolution reopens the incident under the same id.");
    public static final ConfigOption<Duration> CHANGE_LOOKBACK = ConfigOptions.key("sift.correlate.change-lookback")
            .durationType().defaultValue(Duration.ofMinutes(30))
            .withDescription("Changes this long before an anomaly's onset are suspects.");
    public static final ConfigOption<Duration> CORRELATE_LINK_GAP = ConfigOptions.key("sift.correlate.link-gap")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("An anomaly joins through the topology only while a linked anomaly of the incident is"
                    + " ongoing or ended at most this long before its onset (detection granularity); zero or more.");
    public static final ConfigOption<Duration> CORRELATE_STANDING_AFTER =
            ConfigOptions.key("sift.correlate.standing-after").durationType().defaultValue(Duration.ofHours(1))
            .withDescription("An anomaly ongoing for longer than this is a standing condition: it keeps its incident"
                    + " open but no longer draws later anomalies (of its item or linked items) into it, so a fault"
                    + " hours into a long-running condition opens an incident of its own; zero: no limit.");
    public static final ConfigOption<Boolean> CORRELATE_OPEN_ON_HARMLESS =
            ConfigOptions.key("sift.correlate.open-on-harmless").booleanType().defaultValue(false)
            .withDescription("Whether an anomaly that is harmless by its metric's meaning (a usage, latency or error"
                    + " count falling; availability or free capacity rising) may open an incident by itself; by"
                    + " default it only joins incidents already open.");
    public static final ConfigOption<Duration> CORRELATE_CO_ONSET =
            ConfigOptions.key("sift.correlate.co-onset").durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Items the topology does not place (no known dependency or dependent, e.g. without a call"
                    + " graph) are grouped when an anomaly starts within this time of an incident's opening; zero:"
                    + " never by onset alone.");
    public static final ConfigOption<Duration> CORRELATE_ONSET_TOLERANCE =
            ConfigOptions.key("sift.correlate.onset-tolerance").durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A cause may be detected up to this long after its effects (sampling phases, log"
                    + " windows); zero or more.");
    public static final ConfigOption<Duration> CORRELATE_MERGE_WINDOW = ConfigOptions.key("sift.correlate.merge-window")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("An anomaly linked to several open incidents merges them only when its onset is within"
                    + " this time of the linked anomalies' onsets; otherwise it joins the most closely linked one.");
    public static final ConfigOption<Integer> CORRELATE_MAX_ANOMALY_REFS =
            ConfigOptions.key("sift.correlate.max-anomaly-refs").intType().defaultValue(50)
            .withDescription("Anomaly references listed per incident version, earliest onset first (at least 1;"
                    + " anomalyCount stays exact).");
    public static final ConfigOption<Integer> CORRELATE_MAX_HINTS = ConfigOptions.key("sift.correlate.max-hints")
            .intType().defaultValue(3)
            .withDescription("Root-cause hints per incident version (at least 1).");
    public static final ConfigOption<String> CORRELATE_RANK_WEIGHTS = ConfigOptions.key("sift.correlate.rank-weights")
            .stringType().defaultValue("")
            .withDescription("Weights of the root-cause ranker's evidence, e.g. 'walk=0.30,onset=0.15' (those not named"
                    + " keep their default; only ratios matter): walk 0.30 (a random walk from the symptoms along"
                    + " anomalous dependencies ends there), topology 0.20 (depends on no other anomalous item, explains"
                    + " those depending on it), onset 0.15 (started first), strength 0.10 (how far its metrics"
                    + " deviate), change 0.25 (changed shortly before its onset). Empty: the defaults.");
    public static final ConfigOption<Integer> CORRELATE_FLAP_COUNT = ConfigOptions.key("sift.correlate.flap-count")
            .intType().defaultValue(3)
            .withDescription("An incident that resolves or reopens more than this many times within the flap window"
                    + " is flapping (field flapping; at least 1), as ServiceNow's flap_frequency.");
    public static final ConfigOption<Duration> CORRELATE_FLAP_WINDOW = ConfigOptions.key("sift.correlate.flap-window")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("The period in which resolutions and reopenings are counted for flapping, as"
                    + " ServiceNow's flap_interval (positive).");
    public static final ConfigOption<Duration> CORRELATE_FLAP_QUIET = ConfigOptions.key("sift.correlate.flap-quiet-period")
            .durationType().noDefaultValue()
            .withDescription("A flapping incident resolves only after this much quiet, which also ends the flapping;"
                    + " at least the quiet period. Default: 3 x sift.correlate.quiet-period.");
    public static final ConfigOption<String> CORRELATE_GROUP_BY = ConfigOptions.key("sift.correlate.group-by")
            .stringType().defaultValue("")
            .withDescription("Attributes separated by ',' (as Alertmanager's group_by), e.g. 'cluster,region':"
                    + " anomalies with equal values of all of them that overlap in time (within sift.correlate.gap)"
                    + " join one incident even without a topology path; anomalies lacking one are not grouped by it."
                    + " Attributes: service, host, instance, metric, signal, detector, or a label of the series"
                    + " (label.<name> for a label with one of those names). Empty: topology and time only.");
    public static final ConfigOption<String> CORRELATE_RULES = ConfigOptions.key("sift.correlate.rules")
            .stringType().defaultValue("")
            .withDescription("Grouping rules, separated by ';', each adding a grouping key for the anomalies it"
                    + " matches: '<name>: group-by=<attribute>[,<attribute>...] [match=<attribute>:<glob>[,...]]"
                    + " [window=<duration>]', e.g. 'db-cluster: match=metric:db.* group-by=cluster window=5m'. All"
                    + " matchers must match ('*' in a glob: any characters); window (default sift.correlate.gap) bounds"
                    + " how far apart grouped anomalies may be. Attributes as for sift.correlate.group-by.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("sift.checkpoint.interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval; outputs are flushed and Kafka offsets committed on checkpoints.");
}

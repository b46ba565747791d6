package io.sift.jobs;

import io.sift.core.change.ChangeOutcome;
import io.sift.core.change.ChangeOutcomeConfig;
import io.sift.core.change.ChangeOutcomes;
import io.sift.core.correlate.Correlator;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.logs.TemplateRates;
import io.sift.core.problem.ProblemConfig;
import io.sift.core.problem.ProblemDetector;
import io.sift.core.validate.InputValidator;
import io.sift.jobs.operators.ChangeOutcomeFunction;
import io.sift.jobs.operators.CorrelateFunction;
import io.sift.jobs.operators.DeadLetterTag;
import io.sift.jobs.operators.KpiSummaryTypeInfo;
import io.sift.jobs.operators.LogErrorRate;
import io.sift.jobs.operators.LogTemplateFunction;
import io.sift.jobs.operators.LogTemplateOperator;
import io.sift.jobs.operators.MetricDetectorFunction;
import io.sift.jobs.operators.MetricDetectorOperator;
import io.sift.jobs.operators.ProblemFunction;
import io.sift.jobs.operators.ValidateFunction;
import io.sift.jobs.operators.WindowPreAggregate;
import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Problem;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SloStatus;
import io.sift.schema.TopologyUpdate;
import io.sift.schema.TraceSpan;
import io.sift.core.traces.ServiceTrafficStage;
import io.sift.jobs.operators.ServiceTrafficFunction;
import io.sift.core.detect.SloRule;
import io.sift.core.health.KpiSummary;
import io.sift.jobs.operators.ServiceHealthFunction;
import io.sift.jobs.operators.ServiceKpiWindow;
import io.sift.jobs.operators.SloBudgetFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.types.Either;

/**
 * Sift's job: sources → validation (dead letters) → watermarks → per-series detection (metrics, and error rates
 * mined from logs) → correlation with changes and topology → incidents. Sources and sinks are arguments, so
 * tests pass finite sources and collecting sinks, and {@code main()} only configures, builds and runs.
 */
public final class SiftJob {

    /**
     * The streams the job produces, for callers that attach more outputs (e.g. collect in the demo). SLO statuses
     * are null without SLOs (sift.slo.objectives), service health without windows (sift.health.windows); problem
     * candidates are always there.
     */
    public record Streams(DataStream<Anomaly> anomalies, DataStream<Incident> incidents,
            DataStream<DeadLetter> deadLetters, DataStream<SloStatus> sloStatuses,
            DataStream<ServiceHealth> serviceHealth, DataStream<Problem> problems) {}

    /**
     * The job's inputs. Changes, topology, ITSM feedback, alerts and traces may be empty sources but must be given.
     */
    public record Inputs(SiftSource<MetricPoint> metrics, SiftSource<LogRecord> logs, SiftSource<ChangeEvent> changes,
            SiftSource<TopologyUpdate> topology, SiftSource<ItsmUpdate> itsmFeedback, SiftSource<Alert> alerts,
            SiftSource<TraceSpan> traces) {

        /** Without traces. */
        public Inputs(SiftSource<MetricPoint> metrics, SiftSource<LogRecord> logs, SiftSource<ChangeEvent> changes,
                SiftSource<TopologyUpdate> topology, SiftSource<ItsmUpdate> itsmFeedback, SiftSource<Alert> alerts) {
            this(metrics, logs, changes, topology, itsmFeedback, alerts, SiftSource.empty(TraceSpan.class));
        }

        /** Without alerts from existing monitoring. */
        public Inputs(SiftSource<MetricPoint> metrics, SiftSource<LogRecord> logs, SiftSource<ChangeEvent> changes,
                SiftSource<TopologyUpdate> topology, SiftSource<ItsmUpdate> itsmFeedback) {
            this(metrics, logs, changes, topology, itsmFeedback, SiftSource.empty(Alert.class));
        }

        /** Without feedback from an ITSM tool. */
        public Inputs(SiftSource<MetricPoint> metrics, SiftSource<LogRecord> logs, SiftSource<ChangeEvent> changes,
                SiftSource<TopologyUpdate> topology) {
            this(metrics, logs, changes, topology, SiftSource.empty(ItsmUpdate.class));
        }
    }

    /** Where results go; any list may be empty. */
    public record Outputs(List<Sink<Anomaly>> anomalies, List<Sink<Incident>> incidents,
            List<Sink<DeadLetter>> deadLetters, List<Sink<ChangeOutcome>> changes, List<Sink<SloStatus>> sloStatuses,
            List<Sink<ServiceHealth>> serviceHealth, List<Sink<Problem>> problems) {

        /** Without a problems output (problems are still detected, see {@link Streams#problems()}). */
        public Outputs(List<Sink<Anomaly>> anomalies, List<Sink<Incident>> incidents,
                List<Sink<DeadLetter>> deadLetters, List<Sink<ChangeOutcome>> changes, List<Sink<SloStatus>> sloStatuses,
                List<Sink<ServiceHealth>> serviceHealth) {
            this(anomalies, incidents, deadLetters, changes, sloStatuses, serviceHealth, List.of());
        }

        /** Without SLO, service-health and problems outputs. */
        public Outputs(List<Sink<Anomaly>> anomalies, List<Sink<Incident>> incidents,
                List<Sink<DeadLetter>> deadLetters, List<Sink<ChangeOutcome>> changes) {
            this(anomalies, incidents, deadLetters, changes, List.of(), List.of(), List.of());
        }

        /** Without a changes output (changes still feed correlation). */
        public Outputs(List<Sink<Anomaly>> anomalies, List<Sink<Incident>> incidents,
                List<Sink<DeadLetter>> deadLetters) {
            this(anomalies, incidents, deadLetters, List.of());
        }

        public static Outputs none() {
            return new Outputs(List.of(), List.of(), List.of());
        }
    }

    private SiftJob() {}

    public static Streams build(StreamExecutionEnvironment env, Inputs inputs, Outputs outputs,
            SiftSettings settings) {
        var conf = settings.configuration;
        // Sift's operators change neither a record they are given nor one they have emitted (state keeps its own
        // copies), so chained operators can share records: copying each record between chained operators was most of
        // the per-record cost. 'pipeline.object-reuse: false' in the settings turns it off.
        if (conf.getOptional(PipelineOptions.OBJECT_REUSE).orElse(true)) {
            env.getConfig().enableObjectReuse();
        } else {
            env.getConfig().disableObjectReuse();
        }
        InputValidator validator = validator(conf);
        Duration lateness = conf.get(SiftOptions.OUT_OF_ORDERNESS);
        Duration idleness = conf.get(SiftOptions.IDLENESS);
        long maxFuture = conf.get(SiftOptions.MAX_FUTURE).toMillis();
        String defaultEnv = settings.correlation.defaultEnvironment;
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        SingleOutputStreamOperator<MetricPoint> metrics = validated(env, inputs.metrics(), "metrics", validator,
                watermarks(lateness, idleness, maxFuture, MetricPoint::getTime), MetricPoint.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        SingleOutputStreamOperator<LogRecord> logs = validated(env, inputs.logs(), "logs", validator,
                watermarks(lateness, idleness, maxFuture, LogRecord::getTime), LogRecord.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        SingleOutputStreamOperator<ChangeEvent> changes = validated(env, inputs.changes(), "changes", validator,
                watermarks(lateness, idleness, maxFuture, ChangeEvent::getTime), ChangeEvent.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        SingleOutputStreamOperator<TopologyUpdate> topology = validated(env, inputs.topology(), "topology", validator,
                watermarks(lateness, idleness, maxFuture, TopologyUpdate::getTime), TopologyUpdate.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        SingleOutputStreamOperator<ItsmUpdate> feedback = validated(env, inputs.itsmFeedback(), "itsm-feedback",
                validator, watermarks(lateness, idleness, maxFuture, ItsmUpdate::getTime), ItsmUpdate.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        SingleOutputStreamOperator<Alert> alerts = validated(env, inputs.alerts(), "alerts", validator,
                watermarks(lateness, idleness, maxFuture, Alert::getTime), Alert.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        SingleOutputStreamOperator<TraceSpan> spans = validated(env, inputs.traces(), "traces", validator,
                watermarks(lateness, idleness, maxFuture, TraceSpan::getTime), TraceSpan.class,
                (v, r, now) -> v.check(r, now), deadLetters);
        // Spans → each service's request rate, error ratio and latency (detected as metrics) and the dependencies
        // they show (edges of the topology, expiring when unseen).
        SingleOutputStreamOperator<MetricPoint> traffic = spans
                .keyBy(ServiceTrafficStage::key)
                .process(new ServiceTrafficFunction(new ServiceTrafficStage(TraceOptions.traffic(conf))),
                        new AvroTypeInfo<>(MetricPoint.class))
                .uid(ServiceTrafficFunction.UID).name(ServiceTrafficFunction.NAME);

        Duration logWindow = conf.get(SiftOptions.LOG_WINDOW);
        // Lines are counted before the shuffle, so one partial count per service and window crosses it, not every line.
        DataStream<MetricPoint> logErrors = logs
                .transform(LogErrorRate.PARTIALS_NAME, TypeInformation.of(LogErrorRate.Count.Acc.class),
                        LogErrorRate.partials(logWindow.toMillis(), WindowPreAggregate.MAX_PARTIALS, defaultEnv))
                .uid(LogErrorRate.PARTIALS_UID).name(LogErrorRate.PARTIALS_NAME)
                .keyBy(partial -> LogErrorRate.key(partial, defaultEnv))
                .window(TumblingEventTimeWindows.of(logWindow))
                .aggregate(new LogErrorRate.Count(), new LogErrorRate.ToMetric(),
                        TypeInformation.of(LogErrorRate.Count.Acc.class), TypeInformation.of(LogErrorRate.Count.Acc.class),
                        new AvroTypeInfo<>(MetricPoint.class))
                .uid(LogErrorRate.UID).name(LogErrorRate.NAME);

        SingleOutputStreamOperator<Anomaly> newLogTemplates = logs
                .keyBy(log -> LogErrorRate.key(log, defaultEnv))
                .transform(LogTemplateFunction.NAME, new AvroTypeInfo<>(Anomaly.class), new LogTemplateOperator(
                        LogTemplateFunction.withTemplateCounts(defaultEnv, conf.get(SiftOptions.LOG_WINDOW).toMillis(),
                                conf.get(SiftOptions.LOG_MAX_TEMPLATES)),
                        conf.get(SiftOptions.LOG_CACHED_SERVICES)))
                .uid(LogTemplateFunction.UID).name(LogTemplateFunction.NAME);
        // Lines per template and window: the metric detector finds a template's rate spikes and drops.
        DataStream<MetricPoint> templateCounts = newLogTemplates.getSideOutput(LogTemplateFunction.TEMPLATE_COUNTS);
        DetectionConfig detection = settings.detection.withBaselineIfAbsent(TemplateRates.METRIC,
                TemplateRates.baseline(conf.get(SiftOptions.DETECT_THRESHOLD), conf.get(SiftOptions.DETECT_WARM_UP),
                        conf.get(SiftOptions.DETECT_MIN_RELATIVE), conf.get(SiftOptions.LOG_MIN_ERRORS)));

        SingleOutputStreamOperator<Anomaly> metricAnomalies = metrics.union(logErrors, templateCounts, traffic)
                // Template counts are one series per template id (their text and example lines are labels only).
                .keyBy(point -> TemplateRates.seriesKey(point, defaultEnv))
                .transform(MetricDetectorFunction.NAME, new AvroTypeInfo<>(Anomaly.class), new MetricDetectorOperator(
                        new MetricDetectorFunction(detection, conf.get(SiftOptions.SERIES_SILENCE).toMillis(),
                                conf.get(SiftOptions.SERIES_TTL).toMillis()),
                        conf.get(SiftOptions.DETECT_CACHED_SERIES)))
                .uid(MetricDetectorFunction.UID).name(MetricDetectorFunction.NAME);
        DataStream<Anomaly> anomalies = metricAnomalies.union(newLogTemplates);

        Correlator correlator = new Correlator(settings.correlation);
        DataStream<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>> correlationInput = anomalies
                .map(a -> CorrelateFunction.input(a), CorrelateFunction.INPUT_TYPE)
                .uid("anomalies-to-correlation").name("Anomalies → correlation")
                .union(changes.map(c -> CorrelateFunction.input(c), CorrelateFunction.INPUT_TYPE)
                        .uid("changes-to-correlation").name("Changes → correlation"),
                        feedback.map(u -> CorrelateFunction.input(u), CorrelateFunction.INPUT_TYPE)
                                .uid("itsm-feedback-to-correlation").name("ITSM feedback → correlation"),
                        alerts.map(a -> CorrelateFunction.input(a), CorrelateFunction.INPUT_TYPE)
                                .uid("alerts-to-correlation").name("Alerts → correlation"));
        BroadcastStream<TopologyUpdate> topologyBroadcast = topology
                .union(traffic.getSideOutput(ServiceTrafficFunction.EDGES)).broadcast(CorrelateFunction.TOPOLOGY);

        SingleOutputStreamOperator<Incident> incidents = correlationInput
                .keyBy(e -> CorrelateFunction.environmentOf(correlator, e))
                .connect(topologyBroadcast)
                .process(new CorrelateFunction(correlator, conf.get(ItsmOptions.SETTLED_MEMORY)),
                        new AvroTypeInfo<>(Incident.class))
                .uid(CorrelateFunction.UID).name(CorrelateFunction.NAME);

        DataStream<SloStatus> sloStatuses = sloStatuses(metrics, settings);
        DataStream<ServiceHealth> serviceHealth = serviceHealth(metrics, logErrors, anomalies, topologyBroadcast,
                settings);

        // Repeated or out-of-order samples of a series, topology deletes of unknown items and ITSM feedback naming no
        // live incident, found after the shuffle.
        deadLetters.add(metricAnomalies.getSideOutput(DeadLetterTag.DEAD_LETTERS));
        deadLetters.add(incidents.getSideOutput(DeadLetterTag.DEAD_LETTERS));

        ProblemDetector problemDetector = new ProblemDetector(new ProblemConfig(
                conf.get(ItsmOptions.PROBLEMS_MIN_INCIDENTS), conf.get(ItsmOptions.PROBLEMS_WINDOW)));
        SingleOutputStreamOperator<Problem> problems = incidents
                .filter(ProblemFunction::counts).uid("settled-incidents").name("Settled incidents")
                .keyBy(ProblemFunction::key)
                .process(new ProblemFunction(problemDetector), new AvroTypeInfo<>(Problem.class))
                .uid(ProblemFunction.UID).name(ProblemFunction.NAME);

        // Each change's outcome (pending, implicated by a root-cause hint, clean): the change documents in sift-changes.
        // Keyed by environment and change id, as the correlator scopes changes: two environments may share an id.
        ChangeOutcomeFunction changeOutcomes = new ChangeOutcomeFunction(new ChangeOutcomes(new ChangeOutcomeConfig(
                defaultEnv, Duration.ofMillis(settings.correlation.changeLookbackMillis),
                Duration.ofMillis(settings.correlation.gapMillis), conf.get(ItsmOptions.CHANGE_OUTCOME_GRACE))));
        SingleOutputStreamOperator<ChangeOutcome> outcomes = changes
                .map(ChangeOutcomeFunction::input, ChangeOutcomeFunction.INPUT_TYPE)
                .uid("changes-to-outcomes").name("Changes → outcomes")
                .union(incidents.flatMap(ChangeOutcomeFunction.namings(defaultEnv),
                        ChangeOutcomeFunction.INPUT_TYPE).uid("incident-change-namings").name("Incidents → change namings"))
                .keyBy(changeOutcomes.keys())
                .connect(topologyBroadcast)
                .process(changeOutcomes, ChangeOutcomeFunction.OUTPUT_TYPE)
                .uid(ChangeOutcomeFunction.UID).name(ChangeOutcomeFunction.NAME);

        DataStream<DeadLetter> allDeadLetters = deadLetters.get(0);
        for (DataStream<DeadLetter> more : deadLetters.subList(1, deadLetters.size())) {
            allDeadLetters = allDeadLetters.union(more);
        }

        int i = 0;
        for (Sink<Anomaly> sink : outputs.anomalies()) {
            anomalies.sinkTo(sink).uid("sink-anomalies-" + i).name("Anomalies → " + sink.getClass().getSimpleName());
            i++;
        }
        i = 0;
        for (Sink<Incident> sink : outputs.incidents()) {
            incidents.sinkTo(sink).uid("sink-incidents-" + i).name("Incidents → " + sink.getClass().getSimpleName());
            i++;
        }
        i = 0;
        for (Sink<DeadLetter> sink : outputs.deadLetters()) {
            allDeadLetters.sinkTo(sink).uid("sink-dead-letters-" + i)
                    .name("Dead letters → " + sink.getClass().getSimpleName());
            i++;
        }
        i = 0;
        for (Sink<ChangeOutcome> sink : outputs.changes()) {
            outcomes.sinkTo(sink).uid("sink-changes-" + i).name("Changes → " + sink.getClass().getSimpleName());
            i++;
        }
        i = 0;
        for (Sink<Problem> sink : outputs.problems()) {
            problems.sinkTo(sink).uid("sink-problems-" + i).name("Problems → " + sink.getClass().getSimpleName());
            i++;
        }
        i = 0;
        for (Sink<SloStatus> sink : outputs.sloStatuses()) {
            if (sloStatuses == null) {
                break;
            }
            sloStatuses.sinkTo(sink).uid("sink-slo-" + i).name("SLO statuses → " + sink.getClass().getSimpleName());
            i++;
        }
        i = 0;
        for (Sink<ServiceHealth> sink : outputs.serviceHealth()) {
            if (serviceHealth == null) {
                break;
            }
            serviceHealth.sinkTo(sink).uid("sink-service-health-" + i)
                    .name("Service health → " + sink.getClass().getSimpleName());
            i++;
        }
        return new Streams(anomalies, incidents, allDeadLetters, sloStatuses, serviceHealth, problems);
    }

    /** Error budgets of the configured SLOs, a status per SLO and minute; null without SLOs. */
    private static DataStream<SloStatus> sloStatuses(DataStream<MetricPoint> metrics, SiftSettings settings) {
        List<SloRule> slos = settings.detection.rules.slos;
        if (slos.isEmpty()) {
            return null;
        }
        return metrics
                .flatMap(SloBudgetFunction.samples(slos, settings.correlation.defaultEnvironment),
                        SloBudgetFunction.INPUT_TYPE)
                .uid("slo-samples").name("SLI samples")
                .keyBy(t -> t.f0)
                .process(new SloBudgetFunction(slos), new AvroTypeInfo<>(SloStatus.class))
                .uid(SloBudgetFunction.UID).name(SloBudgetFunction.NAME);
    }

    /**
     * Service KPIs per window and service, and health per window propagated through the topology (one pair of
     * operators per configured window); null without windows.
     */
    private static DataStream<ServiceHealth> serviceHealth(DataStream<MetricPoint> metrics,
            DataStream<MetricPoint> logErrors, DataStream<Anomaly> anomalies, BroadcastStream<TopologyUpdate> topology,
            SiftSettings settings) {
        var conf = settings.configuration;
        String defaultEnv = settings.correlation.defaultEnvironment;
        long stale = conf.get(SiftOptions.SERIES_TTL).toMillis();
        DataStream<ServiceHealth> all = null;
        for (Duration window : conf.get(SiftOptions.HEALTH_WINDOWS)) {
            String label = ServiceKpiWindow.label(window);
            // Samples are summed up before the shuffle (chained to the source), so one partial summary per service
            // and window crosses it, not every sample.
            DataStream<KpiSummary> partials = kpiPartials(metrics, window, label, "", defaultEnv)
                    .union(kpiPartials(logErrors, window, label, "log-errors-", defaultEnv));
            DataStream<KpiSummary> kpis = ServiceKpiWindow.summaries(partials
                            .keyBy(ServiceKpiWindow::key)
                            .window(TumblingEventTimeWindows.of(window)))
                    .uid(ServiceKpiWindow.UID + "-" + label).name(ServiceKpiWindow.NAME + " (" + label + ")");
            DataStream<ServiceHealth> health = kpis
                    .map(k -> Either.<KpiSummary, Anomaly>Left(k), ServiceHealthFunction.INPUT_TYPE)
                    .uid("kpis-to-health-" + label).name("KPIs → health (" + label + ")")
                    .union(anomalies.map(a -> Either.<KpiSummary, Anomaly>Right(a), ServiceHealthFunction.INPUT_TYPE)
                            .uid("anomalies-to-health-" + label).name("Anomalies → health (" + label + ")"))
                    .keyBy(e -> ServiceHealthFunction.environment(e, defaultEnv))
                    .connect(topology)
                    .process(new ServiceHealthFunction(settings.health, label, window.toMillis(), stale),
                            new AvroTypeInfo<>(ServiceHealth.class))
                    .uid(ServiceHealthFunction.UID + "-" + label).name(ServiceHealthFunction.NAME + " (" + label + ")");
            all = all == null ? health : all.union(health);
        }
        return all;
    }

    /** The KPI samples of a stream summed up per service and window before the shuffle. */
    private static DataStream<KpiSummary> kpiPartials(DataStream<MetricPoint> points, Duration window, String label,
            String uidPrefix, String defaultEnv) {
        return points
                .filter(ServiceKpiWindow::feedsKpi).uid(uidPrefix + "kpi-samples-" + label)
                .name("KPI samples (" + label + ")")
                .transform("KPI partials (" + label + ")", KpiSummaryTypeInfo.INSTANCE,
                        ServiceKpiWindow.partials(window.toMillis(), WindowPreAggregate.MAX_PARTIALS, defaultEnv))
                .uid(uidPrefix + "kpi-partials-" + label).name("KPI partials (" + label + ")");
    }

    /** The record checks of the settings (max-future, min-event-time). */
    public static InputValidator validator(org.apache.flink.configuration.Configuration conf) {
        String floor = conf.get(SiftOptions.MIN_EVENT_TIME);
        long minTime;
        try {
            minTime = java.time.Instant.parse(floor.trim()).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(SiftOptions.MIN_EVENT_TIME.key() + " must be an ISO-8601 instant such as"
                    + " 2000-01-01T00:00:00Z, was '" + floor + "'", e);
        }
        return new InputValidator(conf.get(SiftOptions.MAX_FUTURE).toMillis(), minTime);
    }

    private static <T extends SpecificRecordBase> SingleOutputStreamOperator<T> validated(StreamExecutionEnvironment env,
            SiftSource<T> source, String what, InputValidator validator,
            WatermarkStrategy<Either<DeadLetter, T>> watermarks,
            Class<T> recordClass, ValidateFunction.Check<T> check, List<DataStream<DeadLetter>> deadLetters) {
        DataStream<Either<DeadLetter, T>> read = source.create(env, watermarks, "Source: " + what, "source-" + what);
        SingleOutputStreamOperator<T> valid = read
                .process(new ValidateFunction<>(validator, check), new AvroTypeInfo<>(recordClass))
                .uid("validate-" + what).name("Validate " + what);
        if (read.getParallelism() > 0) {
            // Validation runs beside its source, chained: a source of other parallelism than the job's (a replay read
            // by one reader) would otherwise be dealt round-robin to the validators, and two points of one series
            // could reach the detector out of order through different channels.
            valid.setParallelism(read.getParallelism());
        }
        deadLetters.add(valid.getSideOutput(DeadLetterTag.DEAD_LETTERS));
        return valid;
    }

    /**
     * Bounded out-of-orderness on the record's event time. Dead letters, and records stamped implausibly far in
     * the future (validation rejects them next), get the lowest timestamp so they never move event time.
     */
    static <T extends SpecificRecordBase> WatermarkStrategy<Either<DeadLetter, T>> watermarks(Duration lateness,
            Duration idleness, long maxFutureMillis, SerializableFunctionToInstant<T> time) {
        SerializableTimestampAssigner<Either<DeadLetter, T>> assigner = (e, previous) -> {
            if (e.isLeft()) {
                return Long.MIN_VALUE;
            }
            long t = time.apply(e.right()).toEpochMilli();
            return t > System.currentTimeMillis() + maxFutureMillis ? Long.MIN_VALUE : t;
        };
        WatermarkStrategy<Either<DeadLetter, T>> strategy = WatermarkStrategy
                .<Either<DeadLetter, T>>forBoundedOutOfOrderness(lateness).withTimestampAssigner(assigner);
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    /** A serializable accessor of a record's event time. */
    @FunctionalInterface
    public interface SerializableFunctionToInstant<T> extends java.io.Serializable {
        java.time.Instant apply(T record);
    }
}

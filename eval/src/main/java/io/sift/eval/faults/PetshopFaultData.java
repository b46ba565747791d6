package io.sift.eval.faults;

import io.sift.eval.petshop.MetricTable;
import io.sift.eval.petshop.PetshopIssue;
import io.sift.eval.petshop.PetshopScenario;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;
import io.sift.schema.MetricKind;
import io.sift.schema.Resource;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one traffic scenario of Amazon's PetShop root-cause benchmark (a folder with {@code graph.csv}, optionally
 * {@code noissue/metrics.csv}, and issue folders {@code <split>/<issue>/} of {@code metrics.csv} and
 * {@code target.json}) as the job would receive it from a CloudWatch export: one {@link FaultDataSet} whose cases are
 * the scenario's issues.
 *
 * <p><b>Environments.</b> Every issue is its own environment, an opaque {@code petshop-<k>}, k counting the issues
 * from 1 in the scenario's issue order; nothing the job sees names the issue, its kind or its root cause.
 *
 * <p><b>History.</b> An issue's folder holds only about 20 minutes (5 samples of 5 minutes), too few for a detector
 * to learn a baseline. So each issue's metrics are preceded by the normal-operation history given to
 * {@link #read(PetshopScenario, List)}, by default the scenario's own {@code noissue/metrics.csv} when it has one (the
 * two temporal-traffic scenarios have none: their issues then come without history). The history was recorded on
 * other days; its rows are re-timed at the 5-minute step so that its last row is one step before the issue's first
 * sample (as {@code PetshopDetection}, the evaluation outside the job, does). The splice is a change in every series
 * whose level differs between the two recordings, not only on the faulty path.
 *
 * <p><b>Time line.</b> The cases follow one another so that the single source's event time only increases: the first
 * case keeps its recorded issue time, each further case (history and issue together) is shifted by the whole number
 * of days (time of day kept) that puts its first sample at least {@link #CASE_GAP} after the previous case's end.
 *
 * <p><b>Faults.</b> One per issue: id {@code <scenario>/<split>/<issue>}; root item the {@code root_cause} node of
 * {@code target.json}; fault type the issue kind (the violated metric, {@code latency} or {@code availability});
 * level {@code service}. The benchmark gives no injection time, only the time of the alarm (the SLO violation of
 * {@code target}). The start is the start of the sample period that holds alarm time − 5 minutes, that is the period
 * before the alarm's: the evaluation outside the job counts anomalies active from alarm − one period on, since the
 * fault shows before the SLO alarm fires (in this data that is always the issue's first sample). The fault lasts to the
 * end of the issue's last sample period.
 *
 * <p><b>Scored spans.</b> Each whole case, history and issue: noise is counted in the history (less
 * {@link FaultScoring#BEFORE} before the fault start), which includes the detector's warm-up at its start.
 *
 * <p><b>Metrics.</b> Columns {@code component / metric / statistic} become points of service = the component, name
 * {@code <metric>_<statistic>} in lower case ({@code latency_average}, {@code latency_p90},
 * {@code availability_average}, {@code requests_sum}), all gauges (a per-period CloudWatch statistic), no unit (the
 * benchmark's README gives none). A point's time is its period's start. Empty cells (no traffic in the period) are
 * missing samples and produce no point.
 *
 * <p><b>Topology.</b> The call graph: an UPSERT of every component (graph or metrics) as an item of type OTHER (the
 * benchmark gives no kinds), and an UPSERT edge
 * of type CALLS from caller to callee for every non-zero cell of {@code graph.csv}, all timed one step before the
 * first metric point. The items carry no environment: the graph holds for every case of the scenario.
 *
 * <p><b>First figures</b> ({@code sift eval petshop --job}, default settings): recall 1.00 / 0.88 / 0 / 0 for high,
 * low and the two temporal scenarios, AS@1 0 everywhere (mean over scenarios 0.000 against 0.781 ranked outside the
 * job). The job does open an incident ranking PetSearch first for several issues, but the earliest incident in the
 * fault's window, which is the match, is mostly a splice artefact: series whose level differs between the August
 * normal recording and the April issue (the adoptions database's latency, SSM, the step-function lambdas) jump at the
 * issue's first sample, and the PetSearch incident comes one or two periods later (often after start + 10 min). The
 * temporal scenarios have no history, so every series is still warming up.
 */
public final class PetshopFaultData {

    public static final String NAME = "petshop";
    /** PetShop's samples are 5-minute CloudWatch periods. */
    static final long STEP_MILLIS = 300_000;
    /** Event time between one case's end and the next case's first sample, at least. */
    static final Duration CASE_GAP = Duration.ofHours(1);
    private static final long DAY_MILLIS = 86_400_000L;

    private PetshopFaultData() {
    }

    /** The scenario in a folder, each issue preceded by the scenario's own normal history when it has one. */
    public static FaultDataSet read(Path scenarioFolder) {
        return read(PetshopScenario.read(scenarioFolder));
    }

    /** A scenario, each issue preceded by the scenario's own normal history when it has one. */
    public static FaultDataSet read(PetshopScenario scenario) {
        return read(scenario, scenario.normal().map(List::of).orElse(List.of()));
    }

    /**
     * A scenario, each issue preceded by the given normal-operation tables, streamed in the order given.
     */
    public static FaultDataSet read(PetshopScenario scenario, List<MetricTable> history) {
        if (scenario.issues().isEmpty()) {
            throw new IllegalArgumentException(scenario.name() + ": no issues");
        }
        int historyRows = history.stream().mapToInt(MetricTable::rows).sum();
        List<SeriesTable> tables = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        List<ScoredSpan> spans = new ArrayList<>();
        Set<String> components = new LinkedHashSet<>();
        Long previousEnd = null;
        long firstPoint = Long.MAX_VALUE;
        for (int k = 0; k < scenario.issues().size(); k++) {
            PetshopIssue issue = scenario.issues().get(k);
            MetricTable window = issue.metrics();
            if (window.rows() == 0) {
                throw new IllegalArgumentException(scenario.name() + "/" + issue.id() + ": no samples");
            }
            long recordedFirst = window.timeMillis(0);
            long recordedStart = recordedFirst - historyRows * STEP_MILLIS;
            long shift = previousEnd == null ? 0
                    : -Math.floorDiv(recordedStart - previousEnd - CASE_GAP.toMillis(), DAY_MILLIS) * DAY_MILLIS;
            long[] times = new long[historyRows + window.rows()];
            for (int r = 0; r < historyRows; r++) {
                times[r] = recordedStart + r * STEP_MILLIS + shift;
            }
            for (int r = 0; r < window.rows(); r++) {
                times[historyRows + r] = window.timeMillis(r) + shift;
            }
            long end = times[times.length - 1] + STEP_MILLIS;
            String environment = NAME + "-" + (k + 1);
            // Columns per component: the history's and the issue's, in order of first appearance.
            Map<String, Set<MetricTable.Column>> byComponent = new LinkedHashMap<>();
            for (MetricTable table : history) {
                table.columns().forEach(c -> byComponent.computeIfAbsent(c.item(), x -> new LinkedHashSet<>()).add(c));
            }
            window.columns().forEach(c -> byComponent.computeIfAbsent(c.item(), x -> new LinkedHashSet<>()).add(c));
            for (Map.Entry<String, Set<MetricTable.Column>> entry : byComponent.entrySet()) {
                List<MetricTable.Column> columns = List.copyOf(entry.getValue());
                double[][] values = new double[times.length][columns.size()];
                int row = 0;
                for (MetricTable table : history) {
                    row = fill(values, row, table, columns);
                }
                fill(values, row, window, columns);
                List<SeriesTable.Column> specs = columns.stream()
                        .map(c -> new SeriesTable.Column(metricName(c), null, MetricKind.GAUGE)).toList();
                tables.add(new SeriesTable(new Resource(entry.getKey(), null, null, environment), Map.of(), specs,
                        times, values));
                components.add(entry.getKey());
            }
            long start = faultStart(issue) + shift;
            faults.add(new Fault(scenario.name() + "/" + issue.id(), environment, Instant.ofEpochMilli(start),
                    Duration.ofMillis(Math.max(STEP_MILLIS, end - start)), issue.kind(), "service", issue.rootCause(),
                    Set.of(issue.rootCause())));
            spans.add(new ScoredSpan(environment, Instant.ofEpochMilli(times[0]), Instant.ofEpochMilli(end)));
            firstPoint = Math.min(firstPoint, times[0]);
            previousEnd = end;
        }
        scenario.edges().forEach(e -> {
            components.add(e.caller());
            components.add(e.callee());
        });
        Instant topologyTime = Instant.ofEpochMilli(firstPoint - STEP_MILLIS);
        List<TopologyUpdate> topology = new ArrayList<>();
        for (String component : components) {
            topology.add(TopologyUpdate.newBuilder().setTime(topologyTime).setOperation(TopologyOperation.UPSERT)
                    .setItem(ConfigurationItem.newBuilder().setId(component).setType(ItemType.OTHER).build()).setEdge(null).build());
        }
        for (PetshopScenario.CallEdge edge : scenario.edges()) {
            topology.add(TopologyUpdate.newBuilder().setTime(topologyTime).setOperation(TopologyOperation.UPSERT)
                    .setItem(null)
                    .setEdge(TopologyEdge.newBuilder().setFrom(edge.caller()).setTo(edge.callee())
                            .setType(EdgeType.CALLS).build())
                    .build());
        }
        return new FaultDataSet(NAME + "/" + scenario.name(), new PointSequence(tables), List.of(), topology, faults,
                spans);
    }

    /**
     * The start of the sample period holding alarm time − one period (the latest sample at or before it), else the
     * issue's first sample.
     */
    static long faultStart(PetshopIssue issue) {
        MetricTable window = issue.metrics();
        long before = issue.targetTimeMillis() - STEP_MILLIS;
        long start = window.timeMillis(0);
        for (int r = 0; r < window.rows(); r++) {
            if (window.timeMillis(r) <= before) {
                start = window.timeMillis(r);
            }
        }
        return start;
    }

    /** {@code latency / p90} → {@code latency_p90}; anything but letters and digits becomes {@code _}. */
    static String metricName(MetricTable.Column column) {
        return (column.metric() + "_" + column.statistic()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** Copies a table's rows (NaN where it lacks a column) into {@code values} from {@code row}; the next row. */
    private static int fill(double[][] values, int row, MetricTable table, List<MetricTable.Column> columns) {
        int[] from = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            MetricTable.Column column = columns.get(c);
            from[c] = table.columnOf(column.item(), column.metric(), column.statistic());
        }
        for (int r = 0; r < table.rows(); r++, row++) {
            for (int c = 0; c < from.length; c++) {
                values[row][c] = from[c] < 0 ? Double.NaN : table.value(r, from[c]);
            }
        }
        return row;
    }
}

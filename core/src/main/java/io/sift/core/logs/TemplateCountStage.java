package io.sift.core.logs;

import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The template counts of the job's log stage without Flink, for pipelines that replay a scenario in plain Java: per
 * service a {@link TemplateMiner} and {@link TemplateRates}, fed lines in arrival order and fired as the watermark
 * advances, as the job's operator does with its keyed state and event-time timers.
 */
public final class TemplateCountStage {

    private final TemplateMiner miner;
    private final TemplateRates rates;
    private final String defaultEnvironment;
    /** Per service key (environment|service): miner and count state, in key order. */
    private final Map<String, TemplateMinerState> miners = new TreeMap<>();
    private final Map<String, TemplateRateState> counts = new TreeMap<>();

    public TemplateCountStage(MinerConfig minerConfig, TemplateRates rates, String defaultEnvironment) {
        this.miner = new TemplateMiner(minerConfig);
        this.rates = rates;
        this.defaultEnvironment = defaultEnvironment;
    }

    /** Mines and counts one line; a line whose window is due at {@code watermark} is late and not counted. */
    public void onLine(LogRecord log, long watermark) {
        String env = log.getResource().getEnvironment() == null ? defaultEnvironment : log.getResource().getEnvironment();
        String key = env + "|" + log.getResource().getService();
        long time = log.getTime().toEpochMilli();
        MineResult result = miner.mine(miners.computeIfAbsent(key, k -> new TemplateMinerState()), log.getBody(), time);
        if (rates.dueAt(time) <= watermark) {
            return;
        }
        TemplateRateState state = counts.computeIfAbsent(key, k -> new TemplateRateState());
        if (result.previousId() != null && !result.previousId().equals(result.template().id)) {
            rates.retire(state, result.previousId(), time);
        }
        if (result.evictedId() != null) {
            rates.retire(state, result.evictedId(), time);
        }
        rates.onLine(state, log.getResource(), result.template(), log.getBody(), time);
    }

    /** The points of every window due at {@code watermark}, by service key; forgets services with nothing left. */
    public List<MetricPoint> fire(long watermark) {
        List<MetricPoint> points = new ArrayList<>();
        counts.values().removeIf(state -> {
            points.addAll(rates.fire(state, watermark, defaultEnvironment));
            return state.isEmpty() && rates.nextDue(state) == null;
        });
        return points;
    }
}

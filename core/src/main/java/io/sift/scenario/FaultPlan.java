package io.sift.scenario;

import io.sift.schema.ItemType;

/** A fault as the generators apply it: the ground truth plus the effect on every affected item. */
final class FaultPlan {

    /** What an affected service logs. */
    enum LogKind { NONE, DEPLOY_EXCEPTIONS, PARTITION, CALLER_OF_SERVICE, CALLER_OF_DATABASE, CALLER_OF_CACHE,
        CALLER_OF_QUEUE, HOST_CPU, HOST_MEMORY }

    /** Effect of the fault on one item, active from {@code onsetMs} (inclusive) to {@code endMs} (exclusive). */
    static final class Effect {
        int hop;
        long onsetMs;
        long endMs;
        /** Only instances on this host are affected (host faults); null: all instances. */
        String onlyHost;
        /** The item this one suffers from (the next item towards the root), null for the root. */
        String blame;
        ItemType blameType;
        double strength = 1;
        // service metrics
        double latencyFactor = 1;
        double errorAdd = 0;
        double rateFactor = 1;
        // host metrics (targets; negative: unchanged)
        double cpuTarget = -1;
        double cpuAdd = 0;
        double memoryTarget = -1;
        // datastore metrics
        double dbLatencyFactor = 1;
        double connectionTarget = -1;
        double hitRatioTarget = -1;
        double queueGrowth = 0;
        // logs of an affected service
        LogKind logKind = LogKind.NONE;
        double errorLinesPerMinute;
        double warnLinesPerMinute;

        boolean activeAt(long t) {
            return t >= onsetMs && t < endMs;
        }
    }

    final InjectedFault truth;
    final int ordinal;
    final long startMs;
    final long endMs;
    /** Until when any effect (including a queue draining) can change a value. */
    final long coverEndMs;
    /** Effects indexed by estate item index; null where unaffected. */
    final Effect[] effects;

    FaultPlan(InjectedFault truth, int ordinal, Effect[] effects, long drainMs) {
        this.truth = truth;
        this.ordinal = ordinal;
        this.startMs = truth.start().toEpochMilli();
        this.endMs = truth.end().toEpochMilli();
        this.effects = effects;
        long last = endMs;
        for (Effect e : effects) {
            if (e != null) {
                last = Math.max(last, e.endMs);
            }
        }
        this.coverEndMs = last + drainMs;
    }
}

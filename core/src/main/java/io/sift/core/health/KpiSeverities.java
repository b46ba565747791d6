package io.sift.core.health;

import io.sift.schema.Anomaly;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The anomalies of one environment that hurt a KPI (see {@link Kpi#harms}), latest version of each, and the
 * severity they give a service's KPIs in a window: the peak score of those active in it (onset before the window's
 * end, not ended before its start).
 */
public final class KpiSeverities implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One anomaly as far as health is concerned. */
    public static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;
        public String service;
        public Kpi kpi;
        public double score;
        public long onset;
        /** End (ms), or Long.MAX_VALUE while open. */
        public long end;
        public long version;
        /** Event time of the latest version. */
        public long time;
    }

    public final TreeMap<String, Entry> anomalies = new TreeMap<>();

    /** Takes in one anomaly version; returns false when it hurts no KPI (and is not kept). */
    public boolean onAnomaly(Anomaly a) {
        if (a.getResource() == null || a.getResource().getService() == null
                || !Kpi.harms(a.getMetric(), a.getDirection())) {
            return false;
        }
        Entry e = anomalies.get(a.getId());
        if (e != null && e.version >= a.getVersion()) {
            return true;
        }
        if (e == null) {
            e = new Entry();
            anomalies.put(a.getId(), e);
        }
        e.service = a.getResource().getService();
        e.kpi = Kpi.of(a.getMetric());
        e.score = a.getScore();
        e.onset = a.getOnset().toEpochMilli();
        e.end = a.getEnd() == null ? Long.MAX_VALUE : a.getEnd().toEpochMilli();
        e.version = a.getVersion();
        e.time = a.getTime().toEpochMilli();
        return true;
    }

    /** Severity (0-100) per KPI of one service in the window [start, end). */
    public Map<Kpi, Double> severities(String service, long start, long end) {
        EnumMap<Kpi, Double> s = new EnumMap<>(Kpi.class);
        for (Entry e : anomalies.values()) {
            if (e.service.equals(service) && e.onset < end && e.end >= start) {
                s.merge(e.kpi, e.score, Math::max);
            }
        }
        return s;
    }

    /**
     * Forgets anomalies that ended before {@code before}, and open ones not updated since {@code staleBefore} (a
     * lost end must not degrade a service for ever).
     */
    public void expire(long before, long staleBefore) {
        for (Iterator<Entry> it = anomalies.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.end < before || e.end == Long.MAX_VALUE && e.time < staleBefore) {
                it.remove();
            }
        }
    }

    public boolean isEmpty() {
        return anomalies.isEmpty();
    }
}

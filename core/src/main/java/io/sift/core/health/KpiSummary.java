package io.sift.core.health;

import io.sift.schema.MetricPoint;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The KPIs of one service in one window, summed up from its metric samples (all instances): mean error ratio,
 * mean latency per percentile, error events, request rate summed over instances, highest utilisation. A window
 * aggregate's accumulator, so {@link #merge} combines partial summaries.
 */
public final class KpiSummary implements Serializable {

    private static final long serialVersionUID = 1L;

    public String environment;
    public String service;
    /** The window summed up, [start, end) in ms (set when the window closes). */
    public long windowStart;
    public long windowEnd;
    public double errorRatioSum;
    public int errorRatioCount;
    public boolean successRatio;
    public double p50Sum;
    public int p50Count;
    public double p95Sum;
    public int p95Count;
    public double p99Sum;
    public int p99Count;
    public double errorEvents;
    public boolean hasErrorEvents;
    /** Throughput series (instance) → {sum, count} of its rate samples. */
    public TreeMap<String, double[]> rates = new TreeMap<>();
    public double saturation = Double.NaN;
    public int samples;

    /**
     * Writes every field in a compact form (form 1), for state that holds summaries a window at a time; a field added
     * here must be added to {@link #readFrom} and to the form's version (KpiSummaryFormTest fails otherwise).
     */
    public void writeTo(DataOutput out) throws IOException {
        writeNullable(out, environment);
        writeNullable(out, service);
        out.writeLong(windowStart);
        out.writeLong(windowEnd);
        out.writeDouble(errorRatioSum);
        out.writeInt(errorRatioCount);
        out.writeBoolean(successRatio);
        out.writeDouble(p50Sum);
        out.writeInt(p50Count);
        out.writeDouble(p95Sum);
        out.writeInt(p95Count);
        out.writeDouble(p99Sum);
        out.writeInt(p99Count);
        out.writeDouble(errorEvents);
        out.writeBoolean(hasErrorEvents);
        out.writeInt(rates.size());
        for (Map.Entry<String, double[]> rate : rates.entrySet()) {
            out.writeUTF(rate.getKey());
            out.writeDouble(rate.getValue()[0]);
            out.writeDouble(rate.getValue()[1]);
        }
        out.writeDouble(saturation);
        out.writeInt(samples);
    }

    /** A summary written by {@link #writeTo}. */
    public static KpiSummary readFrom(DataInput in) throws IOException {
        KpiSummary k = new KpiSummary();
        k.environment = readNullable(in);
        k.service = readNullable(in);
        k.windowStart = in.readLong();
        k.windowEnd = in.readLong();
        k.errorRatioSum = in.readDouble();
        k.errorRatioCount = in.readInt();
        k.successRatio = in.readBoolean();
        k.p50Sum = in.readDouble();
        k.p50Count = in.readInt();
        k.p95Sum = in.readDouble();
        k.p95Count = in.readInt();
        k.p99Sum = in.readDouble();
        k.p99Count = in.readInt();
        k.errorEvents = in.readDouble();
        k.hasErrorEvents = in.readBoolean();
        for (int i = in.readInt(); i > 0; i--) {
            k.rates.put(in.readUTF(), new double[] {in.readDouble(), in.readDouble()});
        }
        k.saturation = in.readDouble();
        k.samples = in.readInt();
        return k;
    }

    private static void writeNullable(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** Adds one sample; returns false when the metric feeds no KPI. */
    public boolean add(MetricPoint point, String defaultEnvironment) {
        Kpi kpi = Kpi.of(point.getName());
        if (kpi == null || !Double.isFinite(point.getValue())) {
            return false;
        }
        if (service == null) {
            service = point.getResource().getService();
            String env = point.getResource().getEnvironment();
            environment = env == null || env.isBlank() ? defaultEnvironment : env;
        }
        double v = point.getValue();
        samples++;
        switch (kpi) {
            case AVAILABILITY -> {
                boolean success = Kpi.isSuccessRatio(point.getName());
                errorRatioSum += success ? 1.0 - v : v;
                errorRatioCount++;
            }
            case LATENCY -> {
                String name = point.getName();
                if (endsWithIgnoringCase(name, "p50") || endsWithIgnoringCase(name, "median")) {
                    p50Sum += v;
                    p50Count++;
                } else if (endsWithIgnoringCase(name, "p99")) {
                    p99Sum += v;
                    p99Count++;
                } else {
                    // p95, p90 and means: the latency most dashboards show.
                    p95Sum += v;
                    p95Count++;
                }
            }
            case ERRORS -> {
                errorEvents += v;
                hasErrorEvents = true;
            }
            case THROUGHPUT -> {
                String instance = point.getResource().getInstance() == null ? "" : point.getResource().getInstance();
                double[] s = rates.computeIfAbsent(instance + "|" + point.getName(), k -> new double[2]);
                s[0] += v;
                s[1]++;
            }
            case SATURATION -> saturation = Double.isNaN(saturation) ? v : Math.max(saturation, v);
        }
        return true;
    }

    private static boolean endsWithIgnoringCase(String text, String suffix) {
        return text.regionMatches(true, text.length() - suffix.length(), suffix, 0, suffix.length());
    }

    public KpiSummary merge(KpiSummary o) {
        if (service == null) {
            service = o.service;
            environment = o.environment;
        }
        errorRatioSum += o.errorRatioSum;
        errorRatioCount += o.errorRatioCount;
        p50Sum += o.p50Sum;
        p50Count += o.p50Count;
        p95Sum += o.p95Sum;
        p95Count += o.p95Count;
        p99Sum += o.p99Sum;
        p99Count += o.p99Count;
        errorEvents += o.errorEvents;
        hasErrorEvents |= o.hasErrorEvents;
        o.rates.forEach((k, v) -> {
            double[] s = rates.computeIfAbsent(k, x -> new double[2]);
            s[0] += v[0];
            s[1] += v[1];
        });
        if (!Double.isNaN(o.saturation)) {
            saturation = Double.isNaN(saturation) ? o.saturation : Math.max(saturation, o.saturation);
        }
        samples += o.samples;
        return this;
    }

    public Double errorRatio() {
        return errorRatioCount == 0 ? null : errorRatioSum / errorRatioCount;
    }

    public Double availability() {
        return errorRatioCount == 0 ? null : 1.0 - errorRatioSum / errorRatioCount;
    }

    public Double latencyP50() {
        return p50Count == 0 ? null : p50Sum / p50Count;
    }

    public Double latencyP95() {
        return p95Count == 0 ? null : p95Sum / p95Count;
    }

    public Double latencyP99() {
        return p99Count == 0 ? null : p99Sum / p99Count;
    }

    public Double errorCount() {
        return hasErrorEvents ? errorEvents : null;
    }

    /** Sum over the series (instances) of their mean rate. */
    public Double throughput() {
        if (rates.isEmpty()) {
            return null;
        }
        double total = 0.0;
        for (double[] s : rates.values()) {
            total += s[0] / s[1];
        }
        return total;
    }

    public Double saturationValue() {
        return Double.isNaN(saturation) ? null : saturation;
    }
}

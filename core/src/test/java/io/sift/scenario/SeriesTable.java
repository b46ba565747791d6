package io.sift.scenario;

import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** All metric values of a scenario as one array per series, indexed by sample step. */
final class SeriesTable {

    final Scenario scenario;
    final List<SeriesInfo> infos;
    final double[][] values;
    final long[][] times;
    final int steps;
    private final Map<String, Integer> index = new HashMap<>();

    SeriesTable(Scenario s) {
        this.scenario = s;
        this.infos = s.series();
        long interval = s.sampleInterval().toMillis();
        this.steps = (int) (s.duration().toMillis() / interval);
        values = new double[infos.size()][steps];
        times = new long[infos.size()][steps];
        for (double[] v : values) {
            Arrays.fill(v, Double.NaN);
        }
        for (int i = 0; i < infos.size(); i++) {
            index.put(key(infos.get(i).metric(), infos.get(i).resource()), i);
        }
        long start = s.start().toEpochMilli();
        s.metrics().forEach(p -> {
            int series = index.get(key(p.getName(), p.getResource()));
            long t = p.getTime().toEpochMilli();
            int step = (int) ((t - start) / interval);
            values[series][step] = p.getValue();
            times[series][step] = t;
        });
    }

    static String key(String metric, Resource r) {
        return metric + "|" + r.getService() + "|" + r.getInstance() + "|" + r.getHost();
    }

    static String key(MetricPoint p) {
        return key(p.getName(), p.getResource());
    }

    List<Integer> seriesOf(String item) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            if (infos.get(i).item().equals(item)) {
                out.add(i);
            }
        }
        return out;
    }

    int stepAtOrAfter(long t) {
        long start = scenario.start().toEpochMilli();
        long interval = scenario.sampleInterval().toMillis();
        return (int) Math.max(0, Math.min(steps, -Math.floorDiv(start - t, interval)));
    }

    static double median(double[] xs) {
        double[] c = xs.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    /** Median and robust sigma (1.4826 MAD) of xs[from, to). */
    static double[] robust(double[] xs, int from, int to) {
        double[] w = Arrays.copyOfRange(xs, from, to);
        double med = median(w);
        double[] dev = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            dev[i] = Math.abs(w[i] - med);
        }
        return new double[]{med, 1.4826 * median(dev)};
    }
}

package io.sift.scenario;

import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Normal operating levels of every item, derived from the estate and the seed: request rates that flow down the
 * call graph (a callee's rate is the sum of what its callers send plus its own background traffic), p95 latencies
 * that build up from the callees and datastores, error ratios, host and datastore levels.
 */
final class Baselines {

    /** Load on a 0.3-1.0 scale by UTC hour of day: quiet at night, a broad afternoon peak, an evening bump. */
    static double load(double hourOfDay) {
        double h = ((hourOfDay % 24) + 24) % 24;
        double base = 0.5 - 0.5 * Math.cos(2 * Math.PI * (h - 4) / 24);
        double evening = 0.10 * Math.exp(-Math.pow(dist(h, 20.5) / 1.5, 2));
        double lunch = 0.05 * Math.exp(-Math.pow(dist(h, 12.5) / 1.0, 2));
        return 0.3 + 0.6 * base + evening + lunch;
    }

    private static double dist(double h, double centre) {
        double d = Math.abs(h - centre);
        return Math.min(d, 24 - d);
    }

    /** Mean of {@link #load} over a day. */
    static final double MEAN_LOAD;

    static {
        double sum = 0;
        for (int i = 0; i < 24 * 60; i++) {
            sum += load(i / 60.0);
        }
        MEAN_LOAD = sum / (24 * 60);
    }

    // per item index (only meaningful for the matching item type)
    final double[] rate;          // service: requests/s at load 1
    final double[] p95;           // service: ms at load 0.7
    final double[] errorRatio;    // service: ratio at load 0.7
    final double[] cpuIdle;       // host
    final double[] cpuBusy;       // host: cpu = idle + busy * load
    final double[] memory;        // host
    final double[] dbP95;         // database: ms
    final double[] connections;   // database: usage at load 1
    final double[] missRatio;     // cache
    final double[] depth;         // queue: messages at load 1
    /** share of the callee's traffic that comes from the caller, key "caller>callee". */
    final Map<String, Double> share = new HashMap<>();

    Baselines(Estate estate, long seed) {
        int n = estate.items().size();
        rate = new double[n];
        p95 = new double[n];
        errorRatio = new double[n];
        cpuIdle = new double[n];
        cpuBusy = new double[n];
        memory = new double[n];
        dbP95 = new double[n];
        connections = new double[n];
        missRatio = new double[n];
        depth = new double[n];
        SplittableRandom rng = new SplittableRandom(Noise.hash(seed, 0xBA5E11E5L));
        List<EstateItem> items = estate.items();

        for (int i = 0; i < n; i++) {
            EstateItem it = items.get(i);
            switch (it.type()) {
                case DATABASE -> {
                    dbP95[i] = u(rng, 2, 12);
                    connections[i] = u(rng, 0.18, 0.45);
                }
                case CACHE -> missRatio[i] = u(rng, 0.03, 0.09);
                case QUEUE -> depth[i] = u(rng, 40, 400);
                case HOST -> {
                    cpuIdle[i] = u(rng, 0.04, 0.10);
                    cpuBusy[i] = u(rng, 0.30, 0.62) - cpuIdle[i];
                    memory[i] = u(rng, 0.45, 0.72);
                }
                default -> {
                }
            }
        }
        // rates flow down in estate order (callers come before callees)
        Map<String, Double> sendFactor = new HashMap<>();
        for (int i = 0; i < n; i++) {
            EstateItem it = items.get(i);
            if (it.type() != ItemType.SERVICE) {
                continue;
            }
            double own;
            if (it.tier().equals("edge")) {
                own = it.id().equals("frontend") ? u(rng, 400, 900) : u(rng, 80, 300);
            } else {
                own = u(rng, 2, 15);
            }
            rate[i] += own;
            for (String callee : estate.calleesOf(it.id())) {
                double m = it.id().equals("frontend") && callee.equals("api-gateway") ? u(rng, 0.6, 1.0)
                        : u(rng, 0.25, 1.1);
                sendFactor.put(it.id() + ">" + callee, m);
            }
            for (String callee : estate.calleesOf(it.id())) {
                rate[estate.indexOf(callee)] += rate[i] * sendFactor.get(it.id() + ">" + callee);
            }
            errorRatio[i] = Math.exp(u(rng, Math.log(0.001), Math.log(0.008)));
        }
        for (EstateEdge e : estate.edges()) {
            if (e.type() == EdgeType.CALLS) {
                int from = estate.indexOf(e.from());
                int to = estate.indexOf(e.to());
                share.put(e.from() + ">" + e.to(), rate[from] * sendFactor.get(e.from() + ">" + e.to()) / rate[to]);
            }
        }
        // latencies build up from the bottom
        for (int i = n - 1; i >= 0; i--) {
            EstateItem it = items.get(i);
            if (it.type() != ItemType.SERVICE) {
                continue;
            }
            double own = it.tier().equals("edge") ? u(rng, 10, 40) : u(rng, 4, 30);
            double maxCallee = 0;
            double sumCallee = 0;
            for (String d : estate.dependenciesOf(it.id())) {
                int j = estate.indexOf(d);
                double l = switch (items.get(j).type()) {
                    case SERVICE -> p95[j];
                    case DATABASE -> dbP95[j] * u(rng, 1, 3);
                    case CACHE -> u(rng, 0.5, 1.5);
                    default -> u(rng, 2, 5);
                };
                maxCallee = Math.max(maxCallee, l);
                sumCallee += l;
            }
            p95[i] = own + maxCallee * u(rng, 0.6, 0.9) + 0.15 * (sumCallee - maxCallee);
        }
    }

    double share(String caller, String callee) {
        return share.getOrDefault(caller + ">" + callee, 0.0);
    }

    static double u(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}

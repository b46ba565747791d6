package io.sift.scenario;

import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.ItemType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deploys: benign ones (about one per service every five hours, never within 15 minutes before or 5 minutes after
 * a fault) and the deploys that cause BAD_DEPLOY faults.
 */
final class ChangePlanner {

    static final double MEAN_HOURS_BETWEEN_DEPLOYS = 5.0;
    static final long QUIET_BEFORE_FAULT_MS = 15 * 60_000L;
    static final long QUIET_AFTER_FAULT_MS = 5 * 60_000L;

    record Result(List<ChangeEvent> changes, List<LogModel.Deploy> deploys, long[][] deployTimesByItem) {
    }

    private record Planned(String service, long timeMs, String changeId, boolean bad, SplittableRandom rng) {
    }

    private static final String[] PIPELINES = {"argocd", "github-actions", "jenkins", "spinnaker"};

    static Result plan(ScenarioGenerator cfg, Estate estate, List<FaultPlan> faults,
                       List<FaultPlanner.BadDeploy> badDeploys) {
        long start = cfg.start().toEpochMilli();
        long end = start + cfg.duration().toMillis();
        List<Planned> planned = new ArrayList<>();
        List<String> services = estate.ids(ItemType.SERVICE);
        if (cfg.benignDeploys()) {
            double meanMs = MEAN_HOURS_BETWEEN_DEPLOYS * 3_600_000;
            for (int i = 0; i < services.size(); i++) {
                SplittableRandom rng = new SplittableRandom(Noise.hash(cfg.seed(), 0xC4A6EL, i));
                long t = start;
                while (true) {
                    t += (long) (-Math.log(1 - rng.nextDouble()) * meanMs);
                    t = t / 1000 * 1000;
                    if (t >= end) {
                        break;
                    }
                    if (t - start < 5 * 60_000L || quiet(t, faults)) {
                        continue;
                    }
                    planned.add(new Planned(services.get(i), t, "deploy-" + FaultPlanner.hex(rng, 12), false,
                            rng.split()));
                }
            }
        }
        for (FaultPlanner.BadDeploy b : badDeploys) {
            planned.add(new Planned(b.service(), b.time().toEpochMilli(), b.changeId(), true,
                    new SplittableRandom(Noise.hash(cfg.seed(), 0xBADL, b.faultOrdinal()))));
        }
        planned.sort(Comparator.comparingLong(Planned::timeMs).thenComparing(Planned::service));

        Map<String, int[]> versions = new HashMap<>();
        Map<String, String> pipeline = new HashMap<>();
        for (int i = 0; i < services.size(); i++) {
            SplittableRandom rng = new SplittableRandom(Noise.hash(cfg.seed(), 0x5E4L, i));
            versions.put(services.get(i), new int[]{1 + rng.nextInt(4), rng.nextInt(30), rng.nextInt(15)});
            pipeline.put(services.get(i), PIPELINES[rng.nextInt(PIPELINES.length)]);
        }
        List<ChangeEvent> changes = new ArrayList<>();
        List<LogModel.Deploy> deploys = new ArrayList<>();
        Map<Integer, List<Long>> byItem = new LinkedHashMap<>();
        for (Planned p : planned) {
            SplittableRandom rng = p.rng();
            int[] v = versions.get(p.service());
            String previous = v[0] + "." + v[1] + "." + v[2];
            if (rng.nextDouble() < (p.bad() ? 0.5 : 0.2)) {
                v[1]++;
                v[2] = 0;
            } else {
                v[2]++;
            }
            String version = v[0] + "." + v[1] + "." + v[2];
            String team = estate.item(p.service()).map(i -> i.attributes().get("team")).orElse("platform");
            String tool = pipeline.get(p.service());
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("version", version);
            attrs.put("previous_version", previous);
            attrs.put("commit", FaultPlanner.hex(rng, 12));
            attrs.put("image", "registry.shopco.io/" + team + "/" + p.service() + ":" + version);
            attrs.put("pipeline", tool);
            attrs.put("pipeline_run", String.valueOf(1000 + rng.nextInt(90_000)));
            attrs.put("strategy", "rolling");
            String cr = rng.nextDouble() < 0.4 ? String.format("CHG00%05d", rng.nextInt(100_000)) : null;
            changes.add(new ChangeEvent(p.changeId(), Instant.ofEpochMilli(p.timeMs()), ChangeType.DEPLOY,
                    p.service(), cfg.environment(), tool + "/" + team + "-" + cfg.environment(),
                    "deploy " + p.service() + " " + version + " (from " + previous + ")", cr, attrs, null, null, new ArrayList<>()));
            deploys.add(new LogModel.Deploy(p.service(), p.timeMs(), version));
            byItem.computeIfAbsent(estate.indexOf(p.service()), k -> new ArrayList<>()).add(p.timeMs());
        }
        long[][] times = new long[estate.items().size()][];
        byItem.forEach((item, list) -> times[item] = list.stream().mapToLong(Long::longValue).toArray());
        return new Result(changes, deploys, times);
    }

    private static boolean quiet(long t, List<FaultPlan> faults) {
        for (FaultPlan f : faults) {
            if (t >= f.startMs - QUIET_BEFORE_FAULT_MS && t < f.coverEndMs + QUIET_AFTER_FAULT_MS) {
                return true;
            }
        }
        return false;
    }
}

package io.sift.scenario;

import io.sift.schema.ItemType;
import io.sift.schema.LogRecord;
import io.sift.schema.Resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Log lines of the services. Lines are produced one sample interval ("bucket") at a time from a random generator
 * seeded by (seed, bucket), so the stream is lazy and identical on every pass. Background lines do not depend on the
 * faults (apart from status codes and durations of access lines during a fault); fault lines come from a separate
 * generator.
 */
final class LogModel {

    private static final long SALT_BACKGROUND = 0x1065L;
    private static final long SALT_FAULT = 0x1066L;
    private static final double ERROR_SHARE = 0.008;
    private static final double WARN_SHARE = 0.05;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    record Deploy(String service, long timeMs, String version) {
    }

    private static final class Service {
        int item;
        String id;
        String language;
        Resource[] resources;
        String[] hosts;
        double p95;
        double baseErrors;
        List<String> routes;
        List<String> callees;
        List<LogTemplate> genericWarn;
        List<LogTemplate> genericError;
        List<LogTemplate> domain;
        LogTemplate access;
        String loggerPrefix;
    }

    private record Line(long time, int seq, LogRecord record) {
    }

    private final long seed;
    private final long startMs;
    private final long intervalMs;
    private final long steps;
    private final double linesPerMinute;
    private final String environment;
    private final Estate estate;
    private final List<FaultPlan> plans;
    private final Service[] services;
    private final Service[] byItem;
    private final List<Line> scheduled = new ArrayList<>();

    LogModel(ScenarioGenerator cfg, Estate estate, Baselines base, Map<String, Resource> instanceResources,
             List<FaultPlan> plans, List<Deploy> deploys) {
        this.seed = cfg.seed();
        this.startMs = cfg.start().toEpochMilli();
        this.intervalMs = cfg.sampleInterval().toMillis();
        this.steps = cfg.duration().toMillis() / intervalMs;
        this.linesPerMinute = cfg.logLinesPerServicePerMinute();
        this.environment = cfg.environment();
        this.estate = estate;
        this.plans = plans;
        List<Service> list = new ArrayList<>();
        byItem = new Service[estate.items().size()];
        for (EstateItem it : estate.items(ItemType.SERVICE)) {
            Service s = new Service();
            s.item = estate.indexOf(it.id());
            s.id = it.id();
            s.language = it.attributes().getOrDefault("language", "java");
            List<ServiceInstance> inst = estate.instancesOf(it.id());
            s.resources = new Resource[inst.size()];
            s.hosts = new String[inst.size()];
            for (int k = 0; k < inst.size(); k++) {
                s.resources[k] = instanceResources.get(inst.get(k).instance());
                s.hosts[k] = inst.get(k).host();
            }
            s.p95 = base.p95[s.item];
            s.baseErrors = base.errorRatio[s.item];
            s.routes = LogCatalog.routes(it.id());
            s.callees = estate.calleesOf(it.id());
            // lines that name a downstream service only for services that call one
            s.genericWarn = s.callees.isEmpty() ? withoutDependency(LogCatalog.GENERIC_WARN) : LogCatalog.GENERIC_WARN;
            s.genericError = s.callees.isEmpty() ? withoutDependency(LogCatalog.GENERIC_ERROR)
                    : LogCatalog.GENERIC_ERROR;
            s.domain = LogCatalog.DOMAIN.getOrDefault(EstateFactory.baseName(it.id()), List.of());
            s.access = LogCatalog.access(s.language);
            s.loggerPrefix = switch (s.language) {
                case "java" -> "com.shopco." + it.id().replace("-", "") + ".";
                case "python" -> "app.";
                default -> it.id() + "/";
            };
            list.add(s);
            byItem[s.item] = s;
        }
        services = list.toArray(new Service[0]);

        // lifecycle lines around deploys: each instance restarts during the 90 s before the rollout finishes
        int seq = 0;
        for (Deploy d : deploys) {
            Service s = byItem[estate.indexOf(d.service())];
            SplittableRandom rng = new SplittableRandom(Noise.hash(seed, 0xDE9L, d.timeMs()));
            for (int k = 0; k < s.resources.length; k++) {
                long stop = d.timeMs() - 85_000 + rng.nextLong(40_000) + k * 20_000L;
                long started = stop + 5_000 + rng.nextLong(10_000);
                Ctx ctx = new Ctx(rng, s);
                ctx.version = d.version();
                scheduled.add(new Line(stop, seq++, record(ctx, LogCatalog.SHUTDOWN, stop, s.resources[k])));
                scheduled.add(new Line(started, seq++, record(ctx, LogCatalog.STARTED, started, s.resources[k])));
            }
        }
        scheduled.removeIf(l -> l.time() < startMs || l.time() >= startMs + steps * intervalMs);
        scheduled.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::seq));
    }

    /** Expected number of background lines (without fault and lifecycle lines) over the scenario. */
    double expectedBackgroundLines() {
        double sum = 0;
        for (long step = 0; step < steps; step++) {
            sum += MetricModel.loadAt(startMs + step * intervalMs + intervalMs / 2) / Baselines.MEAN_LOAD;
        }
        return sum * linesPerMinute * intervalMs / 60_000.0 * services.length;
    }

    /** Expected number of fault lines over the scenario. */
    double expectedFaultLines() {
        double sum = 0;
        for (FaultPlan p : plans) {
            for (Service s : services) {
                FaultPlan.Effect e = p.effects[s.item];
                if (e != null && e.logKind != FaultPlan.LogKind.NONE) {
                    sum += (e.errorLinesPerMinute + e.warnLinesPerMinute) * (e.endMs - e.onsetMs) / 60_000.0;
                }
            }
        }
        return sum;
    }

    Iterator<LogRecord> iterator() {
        return new Iterator<>() {
            long step = 0;
            int scheduledPos = 0;
            List<Line> bucket = List.of();
            int pos = 0;

            @Override
            public boolean hasNext() {
                while (pos >= bucket.size()) {
                    if (step >= steps) {
                        return false;
                    }
                    bucket = bucket(step++);
                    pos = 0;
                }
                return true;
            }

            @Override
            public LogRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return bucket.get(pos++).record();
            }

            private List<Line> bucket(long k) {
                List<Line> lines = generate(k);
                long end = startMs + (k + 1) * intervalMs;
                while (scheduledPos < scheduled.size() && scheduled.get(scheduledPos).time() < end) {
                    lines.add(scheduled.get(scheduledPos++));
                }
                lines.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::seq));
                return lines;
            }
        };
    }

    private List<Line> generate(long step) {
        long t0 = startMs + step * intervalMs;
        List<Line> out = new ArrayList<>();
        int seq = 0;
        if (linesPerMinute > 0) {
            SplittableRandom rng = new SplittableRandom(Noise.hash(seed, SALT_BACKGROUND, step));
            double lambda = linesPerMinute * intervalMs / 60_000.0
                    * MetricModel.loadAt(t0 + intervalMs / 2) / Baselines.MEAN_LOAD;
            for (Service s : services) {
                int n = poisson(rng, lambda);
                for (int i = 0; i < n; i++) {
                    long t = t0 + rng.nextLong(intervalMs);
                    int k = rng.nextInt(s.resources.length);
                    Ctx ctx = new Ctx(rng, s);
                    FaultPlan.Effect e = activeEffect(s.item, s.hosts[k], t);
                    double u = rng.nextDouble();
                    double kindDraw = rng.nextDouble();
                    LogTemplate template;
                    if (u < ERROR_SHARE) {
                        template = pick(rng, s.genericError);
                    } else if (u < ERROR_SHARE + WARN_SHARE) {
                        template = pick(rng, s.genericWarn);
                    } else if (kindDraw < 0.6 || s.domain.isEmpty() && kindDraw < 0.9) {
                        template = s.access;
                    } else if (kindDraw < 0.95 && !s.domain.isEmpty()) {
                        template = pick(rng, s.domain);
                    } else {
                        template = pick(rng, LogCatalog.GENERIC_INFO);
                    }
                    // request-level details, drawn for every line so that faults do not shift the random sequence
                    double statusDraw = rng.nextDouble();
                    double g = gaussian(rng);
                    double errorProb = s.baseErrors + (e == null ? 0 : e.errorAdd);
                    double latency = e == null ? 1 : e.latencyFactor;
                    ctx.ms = Math.max(1, Math.round(s.p95 * latency * Math.exp(-0.9 + 0.55 * g)));
                    if (statusDraw < errorProb) {
                        ctx.status = LogCatalog.STATUS_5XX[(int) (statusDraw * 1e6) % 4];
                        if (template == s.access) {
                            template = FAILED_ACCESS.computeIfAbsent(template,
                                    a -> LogTemplate.warn(a.text, a.category, true));
                        }
                    } else if (statusDraw < errorProb + 0.015) {
                        ctx.status = "404";
                    } else {
                        ctx.status = ctx.method.equals("POST") ? "201" : "200";
                    }
                    out.add(new Line(t, seq++, record(ctx, template, t, s.resources[k])));
                }
            }
        }
        // fault lines
        long t1 = t0 + intervalMs;
        SplittableRandom frng = null;
        for (FaultPlan p : plans) {
            if (t1 <= p.startMs || t0 >= p.coverEndMs) {
                continue;
            }
            for (Service s : services) {
                FaultPlan.Effect e = p.effects[s.item];
                if (e == null || e.logKind == FaultPlan.LogKind.NONE) {
                    continue;
                }
                long from = Math.max(t0, e.onsetMs);
                long to = Math.min(t1, e.endMs);
                if (to <= from) {
                    continue;
                }
                if (frng == null) {
                    frng = new SplittableRandom(Noise.hash(seed, SALT_FAULT, step));
                }
                List<LogTemplate> errors = LogCatalog.faultErrors(e.logKind, s.language);
                List<LogTemplate> warnings = LogCatalog.faultWarnings(e.logKind);
                int nErr = poisson(frng, e.errorLinesPerMinute * (to - from) / 60_000.0);
                int nWarn = poisson(frng, e.warnLinesPerMinute * (to - from) / 60_000.0);
                for (int i = 0; i < nErr + nWarn; i++) {
                    long t = from + frng.nextLong(to - from);
                    int k = instanceFor(frng, s, e.onlyHost);
                    Ctx ctx = new Ctx(frng, s);
                    ctx.blame = e.blame;
                    ctx.blameType = e.blameType;
                    ctx.ms = Math.round(s.p95 * e.latencyFactor);
                    ctx.status = LogCatalog.STATUS_5XX[frng.nextInt(4)];
                    LogTemplate template = i < nErr ? pick(frng, errors) : pick(frng, warnings);
                    out.add(new Line(t, seq++, record(ctx, template, t, s.resources[k])));
                }
            }
        }
        return out;
    }

    private FaultPlan.Effect activeEffect(int item, String host, long t) {
        for (FaultPlan p : plans) {
            if (t < p.startMs || t >= p.coverEndMs) {
                continue;
            }
            FaultPlan.Effect e = p.effects[item];
            if (e != null && e.activeAt(t) && (e.onlyHost == null || e.onlyHost.equals(host))) {
                return e;
            }
        }
        return null;
    }

    private static int instanceFor(SplittableRandom rng, Service s, String onlyHost) {
        if (onlyHost == null) {
            return rng.nextInt(s.resources.length);
        }
        for (int k = 0; k < s.hosts.length; k++) {
            if (s.hosts[k].equals(onlyHost)) {
                return k;
            }
        }
        return 0;
    }

    private LogRecord record(Ctx ctx, LogTemplate template, long t, Resource resource) {
        String body = template.render(ctx);
        Map<String, String> attributes = new HashMap<>(4);
        Service s = ctx.service;
        attributes.put("logger", logger(s, template.category));
        if (s.language.equals("java")) {
            attributes.put("thread", template.category.equals("lifecycle") ? "main"
                    : "http-nio-8080-exec-" + (1 + ctx.rng.nextInt(200)));
        }
        String traceId = null;
        String spanId = null;
        if (template.traced) {
            traceId = ctx.traceId();
            spanId = hex(ctx.rng, 16);
        }
        return new LogRecord(Instant.ofEpochMilli(t), template.severityNumber, template.severityText, body, resource,
                attributes, traceId, spanId);
    }

    private static String logger(Service s, String category) {
        if (s.language.equals("java")) {
            return switch (category) {
                case "http" -> s.loggerPrefix + "web.RequestLoggingFilter";
                case "client" -> s.loggerPrefix + "client.DownstreamClient";
                case "db" -> "com.zaxxer.hikari.pool.HikariPool";
                case "cache" -> "io.lettuce.core.protocol.CommandHandler";
                case "messaging" -> "org.apache.kafka.clients.producer.KafkaProducer";
                case "runtime", "lifecycle" -> s.loggerPrefix + "Application";
                default -> s.loggerPrefix + "service.DomainService";
            };
        }
        return s.loggerPrefix + category;
    }

    private static List<LogTemplate> withoutDependency(List<LogTemplate> templates) {
        return templates.stream().filter(t -> !t.text.contains("{dep}")).toList();
    }

    private static LogTemplate pick(SplittableRandom rng, List<LogTemplate> list) {
        return list.get(rng.nextInt(list.size()));
    }

    static int poisson(SplittableRandom rng, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rng)));
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = rng.nextDouble();
        while (p > l) {
            k++;
            p *= rng.nextDouble();
        }
        return k;
    }

    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    static String hex(SplittableRandom rng, int digits) {
        char[] c = new char[digits];
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if (i % 16 == 0) {
                bits = rng.nextLong();
            }
            c[i] = HEX[(int) (bits & 15)];
            bits >>>= 4;
        }
        return new String(c);
    }

    private static String digits(SplittableRandom rng, int n) {
        char[] c = new char[n];
        c[0] = (char) ('1' + rng.nextInt(9));
        for (int i = 1; i < n; i++) {
            c[i] = (char) ('0' + rng.nextInt(10));
        }
        return new String(c);
    }

    /** Variables of one line. */
    private final class Ctx implements LogTemplate.Vars {
        final SplittableRandom rng;
        final Service service;
        String method;
        String path;
        String status = "200";
        long ms = 20;
        String blame;
        ItemType blameType;
        String version = "";
        private String trace;

        Ctx(SplittableRandom rng, Service service) {
            this.rng = rng;
            this.service = service;
            double m = rng.nextDouble();
            this.method = m < 0.7 ? "GET" : m < 0.93 ? "POST" : m < 0.98 ? "PUT" : "DELETE";
        }

        String traceId() {
            if (trace == null) {
                trace = hex(rng, 32);
            }
            return trace;
        }

        private String choose(String[] values) {
            return values[rng.nextInt(values.length)];
        }

        private int stable(int modulo) {
            return (int) Math.floorMod(Noise.hash(seed, service.id.hashCode(), blame == null ? 0 : blame.hashCode()),
                    (long) modulo);
        }

        @Override
        public void append(StringBuilder sb, String v) {
            switch (v) {
                case "method" -> sb.append(method);
                case "path" -> {
                    if (path == null) {
                        path = new RouteVars().render(service.routes.get(rng.nextInt(service.routes.size())));
                    }
                    sb.append(path);
                }
                case "bpath" -> {
                    if (blame != null && blameType == ItemType.SERVICE) {
                        List<String> r = LogCatalog.routes(blame);
                        sb.append(new RouteVars().render(r.get(rng.nextInt(r.size()))));
                    } else {
                        sb.append('/');
                    }
                }
                case "status" -> sb.append(status);
                case "ms" -> sb.append(ms);
                case "slowms" -> sb.append(Math.max(1000, ms) + rng.nextInt(4000));
                case "bytes" -> sb.append(200 + rng.nextInt(60_000));
                case "ip" -> sb.append("10.").append(rng.nextInt(256)).append('.').append(rng.nextInt(256))
                        .append('.').append(1 + rng.nextInt(254));
                case "trace" -> sb.append(traceId());
                case "reqid" -> sb.append(hex(rng, 16));
                case "hex8" -> sb.append(hex(rng, 8));
                case "oid" -> sb.append("ORD-").append(digits(rng, 8));
                case "uid" -> sb.append("u_").append(digits(rng, 7));
                case "sku" -> sb.append("SKU-").append(digits(rng, 5));
                case "cid" -> sb.append("cart_").append(hex(rng, 10));
                case "pid" -> sb.append("pay_").append(hex(rng, 14));
                case "ship" -> sb.append("SHP").append(digits(rng, 9));
                case "q" -> sb.append(choose(LogCatalog.QUERIES));
                case "cat" -> sb.append(choose(LogCatalog.CATEGORIES));
                case "hits" -> sb.append(rng.nextInt(2400));
                case "n" -> sb.append(1 + rng.nextInt(12));
                case "stock" -> sb.append(rng.nextInt(900));
                case "amount" -> {
                    int cents = 499 + rng.nextInt(49_500);
                    sb.append(cents / 100).append('.').append(cents % 100 < 10 ? "0" : "").append(cents % 100);
                }
                case "score" -> {
                    int x = 1 + rng.nextInt(45);
                    sb.append("0.").append(x < 10 ? "0" : "").append(x);
                }
                case "model" -> sb.append("3.").append(rng.nextInt(10));
                case "psp" -> sb.append(choose(LogCatalog.PSPS));
                case "carrier" -> sb.append(choose(LogCatalog.CARRIERS));
                case "country" -> sb.append(choose(LogCatalog.COUNTRIES));
                case "channel" -> sb.append(choose(LogCatalog.CHANNELS));
                case "client" -> sb.append(choose(LogCatalog.CLIENTS));
                case "promo" -> sb.append(choose(LogCatalog.PROMOS));
                case "var" -> sb.append(choose(LogCatalog.VARS));
                case "cls" -> sb.append(choose(LogCatalog.CLASSES));
                case "feature" -> sb.append(choose(LogCatalog.FEATURES));
                case "eventtype" -> sb.append(choose(LogCatalog.EVENTS));
                case "dep" -> sb.append(service.callees.isEmpty() ? "upstream"
                        : service.callees.get(rng.nextInt(service.callees.size())));
                case "blame" -> sb.append(blame == null ? "upstream" : blame);
                case "timeout" -> sb.append(new int[]{1000, 2000, 3000, 5000}[stable(4)]);
                case "pool" -> sb.append(new int[]{20, 32, 50, 64}[stable(4)]);
                case "pct" -> sb.append(81 + rng.nextInt(19));
                case "attempt" -> sb.append(2 + rng.nextInt(2));
                case "status5xx" -> sb.append(choose(LogCatalog.STATUS_5XX_TEXT));
                case "key" -> sb.append(switch (EstateFactory.baseName(service.id)) {
                    case "cart" -> "cart:";
                    case "sessions", "auth" -> "session:";
                    case "pricing" -> "price:";
                    default -> "product:";
                }).append(hex(rng, 8));
                case "topic" -> sb.append(EstateFactory.baseName(service.id)).append(".events");
                case "partition" -> sb.append(rng.nextInt(12));
                case "lag" -> sb.append(1000 + rng.nextInt(90_000));
                case "table" -> sb.append(blame == null ? "orders" : blame.replace("-db", ""));
                case "jdbc" -> {
                    String engine = blame == null ? "postgresql" : estate.item(blame)
                            .map(i -> i.attributes().getOrDefault("engine", "postgresql")).orElse("postgresql");
                    boolean mysql = engine.startsWith("mysql");
                    String db = blame == null ? "app" : blame.replace("-db", "");
                    sb.append(mysql ? "jdbc:mysql://" : "jdbc:postgresql://").append(blame).append(':')
                            .append(mysql ? 3306 : 5432).append('/').append(db);
                }
                case "svc" -> sb.append(service.id);
                case "env" -> sb.append(environment);
                case "version" -> sb.append(version);
                case "sec" -> {
                    int tenths = 30 + rng.nextInt(120);
                    sb.append(tenths / 10).append('.').append(tenths % 10);
                }
                default -> sb.append('{').append(v).append('}');
            }
        }

        /** Fills the ids in a route pattern. */
        private final class RouteVars implements LogTemplate.Vars {
            String render(String route) {
                if (route.indexOf('{') < 0) {
                    return route;
                }
                return ROUTE_CACHE.computeIfAbsent(route, r -> LogTemplate.info(r, "http", false)).render(this);
            }

            @Override
            public void append(StringBuilder sb, String v) {
                Ctx.this.append(sb, v);
            }
        }
    }

    private static final Map<LogTemplate, LogTemplate> FAILED_ACCESS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, LogTemplate> ROUTE_CACHE = new java.util.concurrent.ConcurrentHashMap<>();
}

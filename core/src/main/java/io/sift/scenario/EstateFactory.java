package io.sift.scenario;

import io.sift.schema.Criticality;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Builds a plausible e-commerce estate from a seed: layered call graph, datastores and hosts. */
final class EstateFactory {

    static final String[] EDGE = {"frontend", "api-gateway", "mobile-bff", "admin-portal", "partner-api", "web-bff"};
    static final String[] MID = {"checkout", "cart", "orders", "search", "recommendations", "accounts", "returns",
            "reviews", "wishlist", "subscriptions", "order-history", "product-details", "loyalty", "customer-support",
            "orders-worker", "search-indexer", "returns-processor", "reviews-moderation"};
    static final String[] BACKEND = {"payments", "inventory", "catalog", "pricing", "shipping", "auth", "users",
            "notifications", "fraud-detection", "tax", "promotions", "ledger", "currency", "geo", "email-sender",
            "sms-gateway", "media", "sessions", "billing", "invoicing", "ratings", "feature-flags", "audit-log",
            "warehouse", "address-validation", "tracking", "payments-reconciler", "inventory-sync",
            "catalog-importer", "notifications-dispatcher"};

    /** Preferred downstream services, most typical first (only used when present and lower in the layering). */
    static final Map<String, List<String>> AFFINITY = new HashMap<>();

    static {
        a("frontend", "api-gateway", "search", "recommendations", "catalog", "sessions");
        a("api-gateway", "checkout", "cart", "orders", "accounts", "auth", "search", "returns", "order-history",
                "subscriptions", "wishlist", "feature-flags");
        a("mobile-bff", "checkout", "cart", "search", "accounts", "auth", "recommendations", "wishlist",
                "order-history", "loyalty");
        a("admin-portal", "orders", "inventory", "catalog", "users", "pricing", "customer-support", "returns",
                "reviews-moderation", "audit-log");
        a("partner-api", "orders", "catalog", "inventory", "auth", "returns");
        a("web-bff", "product-details", "search", "cart", "wishlist", "reviews", "recommendations");
        a("checkout", "payments", "orders", "cart", "pricing", "shipping", "tax", "fraud-detection", "feature-flags");
        a("cart", "pricing", "inventory", "promotions", "catalog");
        a("orders", "inventory", "payments", "shipping", "notifications", "orders-worker");
        a("search", "catalog", "pricing", "inventory", "search-indexer");
        a("recommendations", "catalog", "users", "ratings");
        a("accounts", "users", "auth", "loyalty", "subscriptions");
        a("returns", "payments", "shipping", "inventory", "notifications", "returns-processor");
        a("reviews", "users", "ratings", "media", "reviews-moderation");
        a("wishlist", "catalog", "users", "notifications");
        a("subscriptions", "billing", "payments", "notifications");
        a("order-history", "invoicing", "shipping", "tracking");
        a("product-details", "catalog", "pricing", "inventory", "ratings", "media");
        a("loyalty", "users", "promotions");
        a("customer-support", "users", "notifications", "tracking");
        a("orders-worker", "inventory", "notifications", "invoicing");
        a("search-indexer", "catalog", "pricing");
        a("returns-processor", "payments", "inventory");
        a("reviews-moderation", "ratings", "notifications");
        a("payments", "fraud-detection", "ledger", "currency", "notifications", "audit-log");
        a("inventory", "warehouse");
        a("catalog", "media", "catalog-importer");
        a("pricing", "promotions", "currency", "tax");
        a("shipping", "geo", "address-validation", "tracking", "notifications");
        a("auth", "users", "sessions");
        a("notifications", "email-sender", "sms-gateway", "notifications-dispatcher");
        a("fraud-detection", "geo");
        a("billing", "invoicing", "tax");
        a("warehouse", "inventory-sync");
        a("ledger", "payments-reconciler");
        a("notifications-dispatcher", "email-sender");
    }

    private static void a(String from, String... to) {
        AFFINITY.put(from, List.of(to));
    }

    private record Store(String id, ItemType type, String engine, Criticality criticality, int minServices,
                         List<String> users) {
    }

    private static final List<Store> STORES = List.of(
            new Store("orders-db", ItemType.DATABASE, "postgresql 15.6", Criticality.CRITICAL, 0,
                    List.of("orders", "returns", "order-history", "invoicing", "warehouse", "orders-worker",
                            "returns-processor")),
            new Store("users-db", ItemType.DATABASE, "postgresql 15.6", Criticality.HIGH, 0,
                    List.of("users", "auth", "accounts", "loyalty", "customer-support")),
            new Store("payments-db", ItemType.DATABASE, "postgresql 15.6", Criticality.CRITICAL, 0,
                    List.of("payments", "ledger", "billing", "fraud-detection", "payments-reconciler", "subscriptions")),
            new Store("catalog-db", ItemType.DATABASE, "mysql 8.0", Criticality.HIGH, 30,
                    List.of("catalog", "inventory", "product-details", "reviews", "ratings", "media",
                            "catalog-importer", "inventory-sync")),
            new Store("cache", ItemType.CACHE, "redis 7.2", Criticality.MEDIUM, 0,
                    List.of("cart", "sessions", "catalog", "pricing", "recommendations", "product-details",
                            "feature-flags")),
            new Store("events-queue", ItemType.QUEUE, "kafka 3.7", Criticality.HIGH, 0,
                    List.of("orders", "notifications", "shipping", "payments", "audit-log", "orders-worker",
                            "notifications-dispatcher", "tracking")));

    static final Map<String, String> TEAMS = new HashMap<>();

    static {
        team("storefront", EDGE);
        team("commerce", "checkout", "cart", "orders", "returns", "order-history", "orders-worker",
                "returns-processor", "wishlist", "subscriptions");
        team("payments", "payments", "ledger", "fraud-detection", "billing", "invoicing", "currency", "tax",
                "payments-reconciler");
        team("discovery", "search", "recommendations", "catalog", "reviews", "ratings", "media", "product-details",
                "search-indexer", "reviews-moderation", "catalog-importer");
        team("identity", "auth", "users", "accounts", "sessions");
        team("logistics", "shipping", "inventory", "warehouse", "geo", "tracking", "address-validation",
                "inventory-sync");
        team("growth", "pricing", "promotions", "loyalty");
        team("platform", "notifications", "email-sender", "sms-gateway", "feature-flags", "audit-log",
                "notifications-dispatcher", "customer-support");
    }

    private static void team(String team, String... services) {
        for (String s : services) {
            TEAMS.put(s, team);
        }
    }

    private static final String POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private EstateFactory() {
    }

    static Estate build(long seed, int services, String environment) {
        SplittableRandom rng = new SplittableRandom(Noise.hash(seed, 0xE57A7EL));
        int edgeCount = Math.max(2, Math.min(EDGE.length, (int) Math.round(services / 8.0)));
        int midCount = (int) Math.round(services * 0.35);
        int backendCount = services - edgeCount - midCount;

        List<String> names = new ArrayList<>();
        Map<String, String> tierOf = new LinkedHashMap<>();
        take(EDGE, edgeCount, "edge", names, tierOf);
        take(MID, midCount, "mid", names, tierOf);
        take(BACKEND, backendCount, "backend", names, tierOf);
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            rank.put(names.get(i), i);
        }

        // calls: a DAG because edges only go from lower to higher rank
        Map<String, Set<String>> calls = new LinkedHashMap<>();
        for (String s : names) {
            calls.put(s, new LinkedHashSet<>());
        }
        for (String s : names) {
            String tier = tierOf.get(s);
            int r = rank.get(s);
            List<String> preferred = new ArrayList<>();
            for (String t : AFFINITY.getOrDefault(baseName(s), List.of())) {
                if (rank.containsKey(t) && rank.get(t) > r) {
                    preferred.add(t);
                }
            }
            Set<String> chosen = calls.get(s);
            if (tier.equals("backend")) {
                int k = Math.min(preferred.size(), rng.nextInt(3));
                for (int i = 0; i < preferred.size() && chosen.size() < k; i++) {
                    if (i == 0 || rng.nextDouble() < 0.75) {
                        chosen.add(preferred.get(i));
                    }
                }
            } else {
                int k = 1 + rng.nextInt(3);
                for (int i = 0; i < preferred.size() && chosen.size() < k; i++) {
                    if (i == 0 || rng.nextDouble() < 0.8) {
                        chosen.add(preferred.get(i));
                    }
                }
                String nextTier = tier.equals("edge") ? "mid" : "backend";
                List<String> pool = new ArrayList<>();
                for (String t : names) {
                    if (rank.get(t) > r && tierOf.get(t).equals(nextTier) && !chosen.contains(t)) {
                        pool.add(t);
                    }
                }
                while (chosen.isEmpty() && !pool.isEmpty()) {
                    chosen.add(pool.remove(rng.nextInt(pool.size())));
                }
            }
        }
        // every non-edge service has a caller
        for (String s : names) {
            String tier = tierOf.get(s);
            if (tier.equals("edge") || calls.values().stream().anyMatch(c -> c.contains(s))) {
                continue;
            }
            String upperTier = tier.equals("mid") ? "edge" : "mid";
            int r = rank.get(s);
            // prefer a caller in the tier above, then an earlier one in the same tier, with fewer than 3 calls
            List<String> upper = new ArrayList<>();
            List<String> same = new ArrayList<>();
            for (String c : names) {
                if (rank.get(c) < r && calls.get(c).size() < 3) {
                    if (tierOf.get(c).equals(upperTier)) {
                        upper.add(c);
                    } else if (tierOf.get(c).equals(tier)) {
                        same.add(c);
                    }
                }
            }
            // first choice: a caller that typically calls it
            List<String> typical = new ArrayList<>();
            for (String c : names) {
                if (rank.get(c) < r && calls.get(c).size() < 3
                        && AFFINITY.getOrDefault(baseName(c), List.of()).contains(baseName(s))) {
                    typical.add(c);
                }
            }
            List<String> pickFrom = !typical.isEmpty() ? typical : !upper.isEmpty() ? upper : same;
            if (pickFrom.isEmpty()) {
                List<String> earlier = names.stream().filter(c -> rank.get(c) < r
                        && (tierOf.get(c).equals(upperTier) || tierOf.get(c).equals(tier))).toList();
                int minOut = earlier.stream().mapToInt(c -> calls.get(c).size()).min().orElseThrow();
                pickFrom = earlier.stream().filter(c -> calls.get(c).size() == minOut).toList();
            }
            calls.get(pickFrom.get(rng.nextInt(pickFrom.size()))).add(s);
        }

        // datastores
        List<Store> stores = new ArrayList<>();
        Map<String, List<String>> storeUsers = new LinkedHashMap<>();
        for (Store st : STORES) {
            if (services < st.minServices()) {
                continue;
            }
            List<String> present = st.users().stream().filter(rank::containsKey).toList();
            if (present.isEmpty()) {
                continue;
            }
            List<String> users = new ArrayList<>();
            for (String u : present) {
                if (users.isEmpty() || rng.nextDouble() < 0.85) {
                    users.add(u);
                }
            }
            stores.add(st);
            storeUsers.put(st.id(), users);
        }

        // criticality and items
        List<EstateItem> items = new ArrayList<>();
        Map<String, Criticality> crit = new HashMap<>();
        for (String s : names) {
            Criticality c = serviceCriticality(s, tierOf.get(s), rng);
            crit.put(s, c);
            Map<String, String> attrs = new LinkedHashMap<>();
            String team = TEAMS.getOrDefault(baseName(s), "platform");
            attrs.put("tier", tierOf.get(s));
            attrs.put("team", team);
            attrs.put("support_group", "SG-" + capitalise(team) + "-L2");
            double l = rng.nextDouble();
            attrs.put("language", l < 0.45 ? "java" : l < 0.75 ? "go" : l < 0.9 ? "nodejs" : "python");
            attrs.put("runtime", "kubernetes");
            items.add(new EstateItem(s, ItemType.SERVICE, c, tierOf.get(s), attrs));
        }
        for (Store st : stores) {
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("tier", "data");
            attrs.put("team", "data-platform");
            attrs.put("support_group", "SG-Data-Platform-L2");
            attrs.put("engine", st.engine());
            items.add(new EstateItem(st.id(), st.type(), st.criticality(), "data", attrs));
        }

        // hosts and instances
        int hostCount = Math.max(3, (int) Math.round(services / 3.0));
        String[] zones = {"a", "b", "c"};
        List<String> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            hosts.add(String.format("%s-node-%02d", environment, h + 1));
        }
        int[] load = new int[hostCount];
        List<ServiceInstance> instances = new ArrayList<>();
        for (String s : names) {
            boolean important = crit.get(s).ordinal() >= Criticality.HIGH.ordinal() || tierOf.get(s).equals("edge");
            int n = important || rng.nextDouble() < 0.45 ? 2 : 1;
            String replicaSet = randomString(rng, 10);
            List<Integer> order = new ArrayList<>();
            for (int h = 0; h < hostCount; h++) {
                order.add(h);
            }
            Collections.shuffle(order, new java.util.Random(rng.nextLong()));
            order.sort((x, y) -> Integer.compare(load[x], load[y]));
            for (int i = 0; i < n; i++) {
                int h = order.get(i);
                load[h]++;
                instances.add(new ServiceInstance(s, s + "-" + replicaSet + "-" + randomString(rng, 5), hosts.get(h)));
            }
        }
        for (int h = 0; h < hostCount; h++) {
            String host = hosts.get(h);
            boolean critical = instances.stream().filter(i -> i.host().equals(host)
                    && crit.get(i.service()) == Criticality.CRITICAL).count() >= 2;
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("tier", "infra");
            attrs.put("team", "sre");
            attrs.put("support_group", "SG-Infrastructure-L2");
            attrs.put("zone", "eu-west-1" + zones[h % 3]);
            attrs.put("instance_type", h % 4 == 3 ? "c6i.4xlarge" : "m6i.2xlarge");
            attrs.put("cluster", environment + "-eks-eu-west-1");
            items.add(new EstateItem(host, ItemType.HOST, critical ? Criticality.HIGH : Criticality.MEDIUM, "infra",
                    attrs));
        }

        List<EstateEdge> edges = new ArrayList<>();
        for (String s : names) {
            for (String t : calls.get(s)) {
                edges.add(new EstateEdge(s, t, EdgeType.CALLS));
            }
        }
        for (String s : names) {
            for (Map.Entry<String, List<String>> e : storeUsers.entrySet()) {
                if (e.getValue().contains(s)) {
                    edges.add(new EstateEdge(s, e.getKey(), EdgeType.DEPENDS_ON));
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (ServiceInstance i : instances) {
            if (seen.add(i.service() + "|" + i.host())) {
                edges.add(new EstateEdge(i.service(), i.host(), EdgeType.RUNS_ON));
            }
        }
        return new Estate(items, edges, instances);
    }

    private static Criticality serviceCriticality(String s, String tier, SplittableRandom rng) {
        switch (s) {
            case "frontend", "api-gateway", "checkout", "payments":
                return Criticality.CRITICAL;
            case "cart", "orders", "auth", "users", "inventory":
                return Criticality.HIGH;
            default:
                if (tier.equals("edge")) {
                    return Criticality.HIGH;
                }
                return rng.nextDouble() < 0.65 ? Criticality.MEDIUM : Criticality.LOW;
        }
    }

    private static void take(String[] pool, int count, String tier, List<String> names, Map<String, String> tierOf) {
        for (int i = 0; i < count; i++) {
            String name = i < pool.length ? pool[i] : pool[i % pool.length] + "-" + (i / pool.length + 1);
            while (tierOf.containsKey(name)) {
                name = name + "-x";
            }
            names.add(name);
            tierOf.put(name, tier);
        }
    }

    /** "orders-2" -> "orders"; names from the pools map to themselves. */
    static String baseName(String s) {
        int dash = s.lastIndexOf('-');
        if (dash > 0 && s.substring(dash + 1).chars().allMatch(Character::isDigit)) {
            return s.substring(0, dash);
        }
        return s;
    }

    static String randomString(SplittableRandom rng, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(POD_ALPHABET.charAt(rng.nextInt(POD_ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String capitalise(String s) {
        StringBuilder sb = new StringBuilder();
        for (String part : s.split("-")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1)).append('-');
        }
        return sb.substring(0, sb.length() - 1);
    }
}

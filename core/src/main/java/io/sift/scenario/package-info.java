/**
 * Deterministic scenario generator: a plausible e-commerce estate with its telemetry, logs, deploys and injected
 * faults with ground truth. It feeds the demo, integration tests, benchmarks and the correlation evaluation.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * Scenario s = ScenarioGenerator.builder()
 *         .seed(7)                                   // same settings and seed: identical output
 *         .services(24)                              // 20-50
 *         .fault(FaultSpec.of(FaultType.DEPENDENCY_OUTAGE).on("orders-db")
 *                 .at(Duration.ofMinutes(70)).lasting(Duration.ofMinutes(10)))
 *         .build()                                   // checks everything, says what to change
 *         .generate();
 * s.topology();                // List<TopologyUpdate>: UPSERT items, then edges, at the start
 * s.changes();                 // List<ChangeEvent>: deploys, in time order
 * s.faults();                  // List<InjectedFault>: the ground truth
 * s.allRecordsInTimeOrder();   // Stream<SpecificRecord>: metrics, logs and changes, lazily, by event time
 * }</pre>
 *
 * <h2>Estate</h2>
 * Services in three tiers (edge: frontend, api-gateway, mobile-bff, ...; mid: checkout, cart, orders, search, ...;
 * backends: payments, inventory, catalog, pricing, auth, users, ...), a call graph that is a DAG (edge and mid services
 * call 1-3 others), datastores (orders-db, users-db, payments-db, catalog-db from 30 services: DATABASE; cache: CACHE;
 * events-queue: QUEUE) that services DEPENDS_ON, and hosts "{env}-node-NN" (about services / 3) that every service
 * RUNS_ON (1-2 instances, Kubernetes pod names). Edge services, checkout and payments are CRITICAL or HIGH.
 *
 * <h2>Metrics</h2> (see {@link io.sift.scenario.MetricNames}), one point per series per sample interval, each series
 * with a fixed phase within the interval:
 * <ul>
 * <li>per service instance (Resource service, host, instance, environment): request rate, p95 duration, error ratio;
 * <li>per host (Resource service = host = host id): cpu and memory utilisation;
 * <li>per database (Resource service = database id, label db.system): p95 operation duration, connection usage;
 * <li>cache: hit ratio; queue: depth.
 * </ul>
 * Normal behaviour: a day curve on load (UTC), latency and cpu slightly load-dependent, white noise of 1-10 % (a
 * Gaussian clamped at 3 sigma), slow wander, and benign bumps of at most 1.5 sigma; a deploy raises the service's p95
 * by about 1 sigma for the 90 s of its rollout.
 *
 * <h2>Faults</h2> (see {@link io.sift.scenario.FaultType}): at the root from the start (latency x3-10, errors 5-40 %,
 * cpu or memory 90-99 %, connections 90-100 %, cache hit ratio 2-30 %, queue depth growing x10-40), then to the items
 * that call / depend on / run on it, 1-3 hops, each hop 1-2 sample intervals later and attenuated (x0.45-0.7 per
 * hop, but a service's p95 at least x1.5). Affected services also log error and warning lines that name what they
 * suffer from ("Timeout after 5000 ms calling orders-db", "Connection pool exhausted for orders-db (50/50 in use)",
 * "HTTP 503 from payments: ..."). Faults last 5-20 min, start after the warm-up and are at least the minimum gap
 * apart; benign deploys stay out of [start - 15 min, end + 5 min] of every fault.
 *
 * <h2>Noise</h2> With {@code noiseAnomalies(n)}: n glitches of a single series each (1-6 min: latency x3-6, errors
 * +5-20 %, request rate x0.3-0.55, utilisation or connections near full, hit ratio down, queue depth x5-15), after the
 * warm-up, that belong to no fault: never on an item affected by a fault active within 10 min. Ground truth in
 * {@link io.sift.scenario.Scenario#noise()}.
 */
package io.sift.scenario;

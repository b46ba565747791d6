package io.sift.scenario;

import java.util.List;
import java.util.Map;

import static io.sift.scenario.LogTemplate.error;
import static io.sift.scenario.LogTemplate.info;
import static io.sift.scenario.LogTemplate.warn;

/** The log templates: routes and domain messages per service, generic background, and fault messages. */
final class LogCatalog {

    private LogCatalog() {
    }

    static final Map<String, List<String>> ROUTES = Map.ofEntries(
            Map.entry("frontend", List.of("/", "/product/{sku}", "/category/{cat}", "/cart", "/checkout")),
            Map.entry("api-gateway", List.of("/api/v1/orders/{oid}", "/api/v1/cart", "/api/v1/checkout",
                    "/api/v1/search", "/api/v1/users/me")),
            Map.entry("mobile-bff", List.of("/mobile/v2/home", "/mobile/v2/cart", "/mobile/v2/products/{sku}")),
            Map.entry("admin-portal", List.of("/admin/orders/{oid}", "/admin/inventory/{sku}")),
            Map.entry("partner-api", List.of("/partner/v1/orders", "/partner/v1/catalog/{sku}")),
            Map.entry("web-bff", List.of("/web/v1/pdp/{sku}", "/web/v1/home")),
            Map.entry("checkout", List.of("/api/v1/checkout", "/api/v1/checkout/{oid}/confirm")),
            Map.entry("cart", List.of("/api/v1/carts/{cid}", "/api/v1/carts/{cid}/items")),
            Map.entry("orders", List.of("/api/v1/orders", "/api/v1/orders/{oid}")),
            Map.entry("search", List.of("/api/v1/search", "/api/v1/suggest")),
            Map.entry("recommendations", List.of("/api/v1/recommendations/{uid}")),
            Map.entry("accounts", List.of("/api/v1/accounts/{uid}")),
            Map.entry("payments", List.of("/api/v1/payments", "/api/v1/payments/{pid}/capture")),
            Map.entry("inventory", List.of("/api/v1/stock/{sku}", "/api/v1/reservations")),
            Map.entry("catalog", List.of("/api/v1/products/{sku}", "/api/v1/categories/{cat}")),
            Map.entry("pricing", List.of("/api/v1/prices/{sku}", "/api/v1/quotes")),
            Map.entry("shipping", List.of("/api/v1/shipments", "/api/v1/rates")),
            Map.entry("auth", List.of("/oauth2/token", "/oauth2/introspect", "/.well-known/jwks.json")),
            Map.entry("users", List.of("/api/v1/users/{uid}")),
            Map.entry("notifications", List.of("/api/v1/notifications")));

    static List<String> routes(String service) {
        List<String> r = ROUTES.get(EstateFactory.baseName(service));
        return r != null ? r : List.of("/api/v1/" + service, "/api/v1/" + service + "/{hex8}");
    }

    static final Map<String, List<LogTemplate>> DOMAIN = Map.ofEntries(
            Map.entry("frontend", List.of(
                    info("Rendered /product/{sku} in {ms} ms (ssr=true, cache=miss)", "http", true),
                    info("Session {hex8} started for anonymous visitor from {country}", "service", false))),
            Map.entry("api-gateway", List.of(
                    info("route={path} upstream={dep} status={status} duration={ms}ms client_ip={ip}", "http", true))),
            Map.entry("mobile-bff", List.of(
                    info("Aggregated home feed for user {uid}: {n} widgets in {ms} ms", "service", true))),
            Map.entry("checkout", List.of(
                    info("Order {oid} placed by user {uid}: {n} items, total {amount} EUR", "service", true),
                    info("Checkout session {hex8} started for cart {cid}", "service", true))),
            Map.entry("cart", List.of(
                    info("Cart {cid} updated: {n} items, subtotal {amount} EUR", "service", true))),
            Map.entry("orders", List.of(
                    info("Order {oid} created for user {uid}", "service", true),
                    info("Order {oid} status changed PENDING -> CONFIRMED", "service", true))),
            Map.entry("payments", List.of(
                    info("Payment {pid} authorized via {psp} in {ms} ms (amount {amount} EUR)", "service", true),
                    info("Payment {pid} captured", "service", true))),
            Map.entry("inventory", List.of(
                    info("Reserved {n} units of {sku} for order {oid}", "service", true),
                    info("Stock level for {sku}: {stock} units", "service", false))),
            Map.entry("catalog", List.of(
                    info("Product {sku} served (cache=hit)", "service", true),
                    info("Category {cat} listing: {hits} products", "service", true))),
            Map.entry("search", List.of(
                    info("Query '{q}' returned {hits} hits in {ms} ms", "service", true))),
            Map.entry("recommendations", List.of(
                    info("Generated {n} recommendations for user {uid} (model v{model}) in {ms} ms", "service", true))),
            Map.entry("pricing", List.of(
                    info("Computed price for {sku}: {amount} EUR (rule set v{n})", "service", true))),
            Map.entry("shipping", List.of(
                    info("Created shipment {ship} with carrier {carrier}, ETA {n} days", "service", true),
                    info("Rate quote for {country}: {amount} EUR via {carrier}", "service", true))),
            Map.entry("auth", List.of(
                    info("Issued access token for user {uid} (expires in 3600 s)", "service", true),
                    info("Token introspection for client {client}: active=true", "service", true))),
            Map.entry("users", List.of(
                    info("Loaded profile for user {uid} in {ms} ms", "service", true),
                    info("User {uid} updated preferences", "service", true))),
            Map.entry("accounts", List.of(
                    info("Account overview for user {uid} assembled in {ms} ms", "service", true))),
            Map.entry("notifications", List.of(
                    info("Sent {channel} notification {hex8} to user {uid}", "service", true))),
            Map.entry("fraud-detection", List.of(
                    info("Fraud score {score} for payment {pid} (decision=ACCEPT)", "service", true))),
            Map.entry("tax", List.of(
                    info("Computed VAT for {country}: {amount} EUR", "service", true))),
            Map.entry("promotions", List.of(
                    info("Applied promotion {promo} to cart {cid}: -{amount} EUR", "service", true))),
            Map.entry("ledger", List.of(
                    info("Posted journal entry {hex8}: {amount} EUR", "service", true))),
            Map.entry("currency", List.of(
                    info("FX rates refreshed from ECB feed: {hits} currency pairs", "service", false))),
            Map.entry("email-sender", List.of(
                    info("Email {hex8} accepted by SMTP relay (250 2.0.0 OK)", "service", true))),
            Map.entry("sms-gateway", List.of(
                    info("SMS {hex8} delivered to +44*******{n}", "service", true))),
            Map.entry("sessions", List.of(
                    info("Session {hex8} refreshed for user {uid}", "service", true))),
            Map.entry("reviews", List.of(
                    info("Review {hex8} for {sku} submitted by user {uid}", "service", true))),
            Map.entry("returns", List.of(
                    info("Return {hex8} opened for order {oid}: {n} items", "service", true))),
            Map.entry("geo", List.of(
                    info("Geocoded address in {country} in {ms} ms", "service", true))),
            Map.entry("tracking", List.of(
                    info("Tracking event for shipment {ship}: IN_TRANSIT ({carrier})", "service", true))));

    static final List<LogTemplate> GENERIC_INFO = List.of(
            info("Processed request {reqid} in {ms} ms", "service", true),
            info("Scheduled job cache-refresh finished: {hits} entries in {ms} ms", "service", false),
            info("Health check passed (dependencies: {n} up)", "runtime", false));

    static final List<LogTemplate> GENERIC_WARN = List.of(
            warn("Slow request: {method} {path} took {slowms} ms (threshold 1000 ms)", "http", true),
            warn("Retrying call to {dep} (attempt 2/3) after 503 Service Unavailable", "client", true),
            warn("Deprecated API version v1 used by client {client} ({ip})", "http", false),
            warn("Request body for {method} {path} exceeded 1 MiB, truncated in log", "http", true));

    static final List<LogTemplate> GENERIC_ERROR = List.of(
            error("Request {method} {path} failed: 500 Internal Server Error (trace_id={trace})", "http", true),
            error("Failed to parse request body: Unexpected character ('}' (code 125)) at line 1, column {n}", "http",
                    true),
            error("Upstream {dep} returned 502 Bad Gateway for {method} {path}", "client", true));

    // ------------------------------------------------------------------ faults

    static final Map<String, List<LogTemplate>> DEPLOY_ERRORS = Map.of(
            "java", List.of(
                    error("Unhandled exception in {method} {path}: java.lang.NullPointerException: Cannot invoke"
                            + " \"{cls}.getId()\" because \"{var}\" is null", "http", true),
                    error("Request {method} {path} failed with 500: java.lang.IllegalStateException: {feature} is not"
                            + " configured for region eu-west-1", "service", true),
                    error("Error processing request {reqid}: java.lang.ClassCastException: class java.lang.String"
                            + " cannot be cast to class java.lang.Long", "service", true)),
            "go", List.of(
                    error("panic recovered in handler {method} {path}: runtime error: invalid memory address or nil"
                            + " pointer dereference", "http", true),
                    error("request failed status=500 path={path} err=\"{feature}: missing configuration\"", "http",
                            true)),
            "nodejs", List.of(
                    error("Unhandled error in {method} {path}: TypeError: Cannot read properties of undefined"
                            + " (reading '{var}')", "http", true),
                    error("Request {reqid} failed with 500: Error: {feature} is not configured", "service", true)),
            "python", List.of(
                    error("Exception on {method} {path}: KeyError: '{var}'", "http", true),
                    error("Request {reqid} failed with 500: ValueError: invalid literal for int() with base 10:"
                            + " '{hex8}'", "service", true)));

    static final List<LogTemplate> DEPLOY_WARN = List.of(
            warn("Validation failed for {method} {path}: field '{var}' must not be null", "http", true),
            warn("Fallback response served for {path} after handler error", "http", true));

    static final List<LogTemplate> PARTITION_ERRORS = List.of(
            error("I/O error on {method} request for \"http://{blame}.{env}.svc.cluster.local:8080{bpath}\": Connect"
                    + " timed out after 2000 ms", "client", true),
            error("Call to {blame} failed after 3 attempts: connect timed out", "client", true),
            error("java.net.NoRouteToHostException: No route to host ({blame}.{env}.svc.cluster.local:8080)", "client",
                    true));

    static final List<LogTemplate> PARTITION_WARN = List.of(
            warn("Circuit breaker '{blame}' transitioned from CLOSED to OPEN (failure rate {pct}.0 %)", "client",
                    false));

    static final List<LogTemplate> SERVICE_ERRORS = List.of(
            error("HTTP 503 from {blame}: upstream connect error or disconnect/reset before headers", "client", true),
            error("Timeout after {timeout} ms calling {blame} {method} {bpath}", "client", true),
            error("Request to {blame} failed: 500 Internal Server Error (trace_id={trace})", "client", true),
            error("Circuit breaker '{blame}' is OPEN, rejecting call to {bpath}", "client", true));

    static final List<LogTemplate> SERVICE_WARN = List.of(
            warn("Slow response from {blame}: {slowms} ms for {method} {bpath}", "client", true),
            warn("Retrying call to {blame} (attempt {attempt}/3) after {status5xx}", "client", true));

    static final List<LogTemplate> DATABASE_ERRORS = List.of(
            error("Timeout after 5000 ms calling {blame}", "db", true),
            error("Connection pool exhausted for {blame} ({pool}/{pool} in use)", "db", true),
            error("HikariPool-1 - Connection is not available, request timed out after 30000ms ({jdbc})", "db", true),
            error("Query failed on {blame}: ERROR: canceling statement due to statement timeout", "db", true));

    static final List<LogTemplate> DATABASE_WARN = List.of(
            warn("Slow query on {blame}: {slowms} ms for SELECT * FROM {table} WHERE id = $1", "db", true),
            warn("Connection pool for {blame} at {pct}% ({pool} max)", "db", false));

    static final List<LogTemplate> CACHE_ERRORS = List.of(
            error("Cache {blame} unavailable: io.lettuce.core.RedisConnectionException: Unable to connect to"
                    + " {blame}:6379", "cache", true),
            error("Redis command timed out after 1000 ms: GET {key}", "cache", true));

    static final List<LogTemplate> CACHE_WARN = List.of(
            warn("Cache miss fallback to database for {key} took {slowms} ms", "cache", true),
            warn("Redis command timed out after 1000 ms on {blame}; serving from database", "cache", true));

    static final List<LogTemplate> QUEUE_ERRORS = List.of(
            error("Failed to publish to topic '{topic}' on {blame}: org.apache.kafka.common.errors.TimeoutException:"
                    + " Expiring {n} record(s) for {topic}-{partition}: 30000 ms has passed since batch creation",
                    "messaging", true),
            error("Error sending event {eventtype} to {blame}: NOT_ENOUGH_REPLICAS", "messaging", true));

    static final List<LogTemplate> QUEUE_WARN = List.of(
            warn("Producer buffer for {blame} {pct}% full, send blocked for {slowms} ms", "messaging", false),
            warn("Consumer group {svc}-consumer lagging on {topic}: {lag} messages behind", "messaging", false));

    static final List<LogTemplate> HOST_CPU_ERRORS = List.of(
            error("Request {method} {path} timed out after 5000 ms", "http", true),
            error("Thread pool saturated: 200/200 workers busy, {n} requests queued", "runtime", false));

    static final List<LogTemplate> HOST_CPU_WARN = List.of(
            warn("Slow request: {method} {path} took {slowms} ms (threshold 1000 ms)", "http", true),
            warn("Health check /healthz took {slowms} ms (timeout 2000 ms)", "runtime", false),
            warn("CPU throttling detected: {pct}% of periods throttled in the last minute", "runtime", false));

    static final List<LogTemplate> HOST_MEMORY_ERRORS = List.of(
            error("java.lang.OutOfMemoryError: Java heap space", "runtime", false),
            error("Container {svc} restarted: OOMKilled (exit code 137)", "runtime", false),
            error("Failed to allocate buffer for {method} {path}: out of memory", "http", true));

    static final List<LogTemplate> HOST_MEMORY_WARN = List.of(
            warn("GC pause {slowms} ms (G1 Evacuation Pause), heap {pct}% used", "runtime", false),
            warn("Memory usage high: {pct}% of container limit", "runtime", false));

    // ------------------------------------------------------------------ lifecycle

    static final LogTemplate SHUTDOWN = info("Received SIGTERM, draining in-flight requests (grace period 30 s)",
            "lifecycle", false);
    static final LogTemplate STARTED = info("Started {svc} version {version} in {sec} seconds", "lifecycle", false);

    static final LogTemplate ACCESS_JAVA = info("Completed {method} {path} {status} in {ms} ms", "http", true);
    static final LogTemplate ACCESS_GO = info("request completed method={method} path={path} status={status}"
            + " duration={ms}ms", "http", true);
    static final LogTemplate ACCESS_NODE = info("{method} {path} {status} {ms} ms - {bytes}", "http", true);
    static final LogTemplate ACCESS_PYTHON = info("\"{method} {path} HTTP/1.1\" {status} {bytes} {ms}ms", "http", true);

    static LogTemplate access(String language) {
        return switch (language) {
            case "go" -> ACCESS_GO;
            case "nodejs" -> ACCESS_NODE;
            case "python" -> ACCESS_PYTHON;
            default -> ACCESS_JAVA;
        };
    }

    static List<LogTemplate> faultErrors(FaultPlan.LogKind kind, String language) {
        return switch (kind) {
            case DEPLOY_EXCEPTIONS -> DEPLOY_ERRORS.getOrDefault(language, DEPLOY_ERRORS.get("java"));
            case PARTITION -> PARTITION_ERRORS;
            case CALLER_OF_SERVICE -> SERVICE_ERRORS;
            case CALLER_OF_DATABASE -> DATABASE_ERRORS;
            case CALLER_OF_CACHE -> CACHE_ERRORS;
            case CALLER_OF_QUEUE -> QUEUE_ERRORS;
            case HOST_CPU -> HOST_CPU_ERRORS;
            case HOST_MEMORY -> HOST_MEMORY_ERRORS;
            case NONE -> List.of();
        };
    }

    static List<LogTemplate> faultWarnings(FaultPlan.LogKind kind) {
        return switch (kind) {
            case DEPLOY_EXCEPTIONS -> DEPLOY_WARN;
            case PARTITION -> PARTITION_WARN;
            case CALLER_OF_SERVICE -> SERVICE_WARN;
            case CALLER_OF_DATABASE -> DATABASE_WARN;
            case CALLER_OF_CACHE -> CACHE_WARN;
            case CALLER_OF_QUEUE -> QUEUE_WARN;
            case HOST_CPU -> HOST_CPU_WARN;
            case HOST_MEMORY -> HOST_MEMORY_WARN;
            case NONE -> List.of();
        };
    }

    static final String[] QUERIES = {"running shoes", "wireless headphones", "usb-c cable", "coffee grinder",
            "winter jacket", "yoga mat", "phone case", "desk lamp", "backpack", "water bottle"};
    static final String[] CATEGORIES = {"electronics", "home-kitchen", "sports", "fashion", "toys", "garden", "books"};
    static final String[] PSPS = {"adyen", "stripe", "braintree"};
    static final String[] CARRIERS = {"DHL", "UPS", "DPD", "GLS", "FedEx"};
    static final String[] COUNTRIES = {"DE", "FR", "NL", "GB", "ES", "IT", "PL", "SE"};
    static final String[] CHANNELS = {"email", "sms", "push"};
    static final String[] CLIENTS = {"web-app", "ios-app", "android-app", "partner-acme"};
    static final String[] PROMOS = {"SPRING10", "FREESHIP", "WELCOME15", "BUNDLE3"};
    static final String[] VARS = {"customer", "address", "sku", "cartId", "currency", "region"};
    static final String[] CLASSES = {"Customer", "Address", "PriceQuote", "CartItem", "ShippingOption"};
    static final String[] FEATURES = {"tax.provider", "pricing.rules", "payments.routing", "shipping.zones"};
    static final String[] EVENTS = {"OrderCreated", "PaymentCaptured", "ShipmentDispatched", "StockReserved"};
    static final String[] STATUS_5XX = {"500", "502", "503", "504"};
    static final String[] STATUS_5XX_TEXT = {"503 Service Unavailable", "502 Bad Gateway", "504 Gateway Timeout"};
}

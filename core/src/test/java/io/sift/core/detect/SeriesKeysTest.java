package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sift.schema.Resource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeriesKeysTest {

    /** The key as its definition reads: name, environment, service, host, instance, then labels in name order. */
    private static String spelledOut(String metric, Resource resource, Map<String, String> labels, String env) {
        StringBuilder key = new StringBuilder().append(metric).append("|env=")
                .append(resource.getEnvironment() == null || resource.getEnvironment().isBlank() ? env
                        : resource.getEnvironment())
                .append("|service=").append(resource.getService());
        if (resource.getHost() != null) {
            key.append("|host=").append(resource.getHost());
        }
        if (resource.getInstance() != null) {
            key.append("|instance=").append(resource.getInstance());
        }
        if (labels != null) {
            new TreeMap<>(labels).forEach((name, value) -> key.append('|').append(name).append('=').append(value));
        }
        return key.toString();
    }

    @Test
    void keysAreTheCanonicalSpelling() {
        Resource bare = Resource.newBuilder().setService("checkout").build();
        Resource full = Resource.newBuilder().setService("checkout").setHost("node-7").setInstance("checkout-5f9c")
                .setEnvironment("staging").build();
        Resource blankEnvironment = Resource.newBuilder().setService("db").setEnvironment("  ").setHost("h").build();
        Map<String, String> many = new LinkedHashMap<>();
        many.put("zone", "eu-west-1b");
        many.put("method", "GET");
        many.put("code", "200");
        many.put("route", "/api/orders/{id}/items");
        Map<String, String> withNull = new HashMap<>();
        withNull.put("b", null);
        withNull.put("a", "x");
        for (Resource resource : new Resource[] {bare, full, blankEnvironment}) {
            for (Map<String, String> labels : java.util.Arrays.<Map<String, String>>asList(null, Map.of(),
                    Map.of("le", "0.5"), many, withNull)) {
                String metric = "http.server.request.duration";
                assertEquals(spelledOut(metric, resource, labels, "prod"),
                        SeriesKeys.of(metric, resource, labels, "prod"), resource + " " + labels);
            }
        }
        assertEquals("cpu|env=prod|service=checkout", SeriesKeys.of("cpu", bare, null, "prod"));
        assertEquals("cpu|env=staging|service=checkout|host=node-7|instance=checkout-5f9c|le=0.5",
                SeriesKeys.of("cpu", full, Map.of("le", "0.5"), "prod"));
    }
}

package io.sift.connectors.formats;

import io.sift.schema.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sift's resource from the labels or tags of a sample that has no resource of its own (Prometheus, Telegraf): the
 * first label present of each role, in OpenTelemetry-to-Prometheus names first, then the tools' own conventions. The
 * labels used for the resource are not repeated as series labels.
 */
final class LabelResource {

    static final List<String> SERVICE = List.of("service.name", "service_name", "service", "job", "app");
    static final List<String> INSTANCE = List.of("service.instance.id", "service_instance_id", "instance", "pod",
            "pod_name");
    static final List<String> HOST = List.of("host.name", "host_name", "host", "hostname", "node", "nodename");
    static final List<String> ENVIRONMENT = List.of("deployment.environment.name", "deployment_environment_name",
            "deployment.environment", "deployment_environment", "environment", "env");

    private LabelResource() {}

    record Split(Resource resource, Map<String, String> labels) {}

    /**
     * @param labels   the sample's labels or tags (not changed)
     * @param fallback the service when no label names one (e.g. the measurement of a host metric), or null for
     *                 the host
     */
    static Split split(Map<String, String> labels, String fallback) {
        Map<String, String> rest = new HashMap<>(labels);
        String service = take(rest, SERVICE);
        String instance = take(rest, INSTANCE);
        String host = take(rest, HOST);
        String environment = take(rest, ENVIRONMENT);
        if (service == null) {
            // A host or device metric: the configuration item it describes is the host (Resource: service).
            service = host != null ? host : fallback;
        }
        return new Split(new Resource(service == null ? "" : service, host, instance, environment), rest);
    }

    private static String take(Map<String, String> labels, List<String> keys) {
        String found = null;
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isBlank() && found == null) {
                found = value;
                labels.remove(key);
            }
        }
        return found;
    }
}

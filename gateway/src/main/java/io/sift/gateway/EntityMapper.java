package io.sift.gateway;

import io.sift.schema.Resource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the entity an alert or a series is about in its labels, the same way for every source. Each field takes the
 * first label present in its precedence list; labels named in settings come before the built-in ones.
 *
 * <ul>
 *   <li>service: {@code service}, {@code service_name}, {@code service.name}, {@code app_kubernetes_io_name},
 *       {@code app}, {@code application}, {@code component}, {@code container}, {@code job} (Prometheus' scrape job,
 *       the weakest hint, last); with none of them, the host; with no host either, {@code unknown}.</li>
 *   <li>host: {@code host}, {@code hostname}, {@code host_name}, {@code host.name}, {@code node}, {@code nodename},
 *       {@code kubernetes_node}, then {@code instance} without its port.</li>
 *   <li>instance: {@code instance}, {@code pod}, {@code service_instance_id}, {@code service.instance.id}.</li>
 *   <li>environment: {@code environment}, {@code env}, {@code deployment_environment},
 *       {@code deployment.environment.name}, {@code deployment.environment}.</li>
 * </ul>
 */
public final class EntityMapper {

    /** The resource fields a label can fill. */
    public enum Field { SERVICE, HOST, INSTANCE, ENVIRONMENT }

    static final List<String> SERVICE_LABELS = List.of("service", "service_name", "service.name",
            "app_kubernetes_io_name", "app", "application", "component", "container", "job");
    static final List<String> HOST_LABELS = List.of("host", "hostname", "host_name", "host.name", "node", "nodename",
            "kubernetes_node");
    static final List<String> INSTANCE_LABELS = List.of("instance", "pod", "service_instance_id",
            "service.instance.id");
    static final List<String> ENVIRONMENT_LABELS = List.of("environment", "env", "deployment_environment",
            "deployment.environment.name", "deployment.environment");

    /** Service of an alert or series whose labels name neither a service nor a host. */
    public static final String UNKNOWN_SERVICE = "unknown";

    private final List<String> service;
    private final List<String> host;
    private final List<String> instance;
    private final List<String> environment;

    /** Built-in precedence only. */
    public EntityMapper() {
        this(Map.of());
    }

    /** @param extra labels to try first, per field, e.g. SERVICE → [team_app] */
    public EntityMapper(Map<Field, List<String>> extra) {
        this.service = withExtra(extra.get(Field.SERVICE), SERVICE_LABELS);
        this.host = withExtra(extra.get(Field.HOST), HOST_LABELS);
        this.instance = withExtra(extra.get(Field.INSTANCE), INSTANCE_LABELS);
        this.environment = withExtra(extra.get(Field.ENVIRONMENT), ENVIRONMENT_LABELS);
    }

    /**
     * Parses settings of the form {@code field=label[,label...]}, e.g. {@code service=team_app,component}; a wrong
     * field name is refused with the list of field names.
     */
    public static EntityMapper fromSettings(List<String> settings) {
        Map<Field, List<String>> extra = new LinkedHashMap<>();
        for (String setting : settings == null ? List.<String>of() : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0 || eq == setting.length() - 1) {
                throw new IllegalArgumentException("label map '" + setting + "': write field=label[,label...],"
                        + " e.g. service=team_app (fields: service, host, instance, environment)");
            }
            Field field;
            try {
                field = Field.valueOf(setting.substring(0, eq).strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("label map '" + setting + "': unknown field '"
                        + setting.substring(0, eq).strip() + "' (fields: service, host, instance, environment)");
            }
            List<String> labels = extra.computeIfAbsent(field, f -> new ArrayList<>());
            for (String label : setting.substring(eq + 1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return new EntityMapper(extra);
    }

    private static List<String> withExtra(List<String> extra, List<String> builtIn) {
        if (extra == null || extra.isEmpty()) {
            return builtIn;
        }
        List<String> all = new ArrayList<>(extra);
        builtIn.stream().filter(label -> !all.contains(label)).forEach(all::add);
        return Collections.unmodifiableList(all);
    }

    /** The entity the labels describe. */
    public Resource resource(Map<String, String> labels) {
        return resource(labels, null);
    }

    /**
     * The entity the labels describe; the labels that filled a field are added to {@code used} (when given), so that
     * a series can keep the rest as its own dimensions.
     */
    public Resource resource(Map<String, String> labels, Set<String> used) {
        String hostLabel = first(labels, host);
        String instanceLabel = first(labels, instance);
        String serviceLabel = first(labels, service);
        String environmentLabel = first(labels, environment);
        String hostValue = hostLabel != null ? labels.get(hostLabel)
                : labels.containsKey("instance") ? withoutPort(labels.get("instance")) : null;
        String serviceValue = serviceLabel != null ? labels.get(serviceLabel)
                : hostValue != null ? hostValue : UNKNOWN_SERVICE;
        if (used != null) {
            for (String label : new String[] {hostLabel, instanceLabel, serviceLabel, environmentLabel}) {
                if (label != null) {
                    used.add(label);
                }
            }
        }
        return new Resource(serviceValue, hostValue, instanceLabel == null ? null : labels.get(instanceLabel),
                environmentLabel == null ? null : labels.get(environmentLabel));
    }

    private static String first(Map<String, String> labels, List<String> names) {
        for (String name : names) {
            String value = labels.get(name);
            if (value != null && !value.isBlank()) {
                return name;
            }
        }
        return null;
    }

    /** {@code host:port}, {@code [v6]:port} or a URL's authority → the host alone. */
    static String withoutPort(String instance) {
        if (instance == null || instance.isBlank()) {
            return null;
        }
        String value = instance.strip();
        int scheme = value.indexOf("://");
        if (scheme >= 0) {
            value = value.substring(scheme + 3);
            int slash = value.indexOf('/');
            if (slash >= 0) {
                value = value.substring(0, slash);
            }
        }
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close > 0 ? value.substring(1, close) : value;
        }
        int colon = value.lastIndexOf(':');
        // One colon: host:port. More: a bare IPv6 address, kept whole.
        if (colon > 0 && value.indexOf(':') == colon && value.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return value.substring(0, colon);
        }
        return value;
    }
}

package io.sift.jobs;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;

/** Lists the options declared in {@link SiftOptions}, {@link DeliveryOptions} and the others, for validation and `sift options`. */
public final class OptionsCatalog {

    private OptionsCatalog() {}

    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : declaredIn(SiftOptions.class, DeliveryOptions.class, KafkaSecurityOptions.class,
                ItsmOptions.class, RunOptions.class, InputOptions.class, AlertOptions.class,
                MaintenanceOptions.class, TraceOptions.class)) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        options.sort(java.util.Comparator.comparing(ConfigOption::key));
        return options;
    }

    private static List<Field> declaredIn(Class<?>... holders) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> holder : holders) {
            fields.addAll(List.of(holder.getFields()));
        }
        return fields;
    }

    public static Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        for (ConfigOption<?> option : all()) {
            keys.add(option.key());
        }
        return keys;
    }
}

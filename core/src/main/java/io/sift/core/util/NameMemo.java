package io.sift.core.util;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a pure function made of a name (a metric name, say), remembered: classifying a name with a regular expression
 * on every sample or every ranking costs more than the rest of the work on it. A deployment has a bounded set of
 * names; should more than {@code limit} ever be seen the memo starts afresh rather than grow. Null results are
 * remembered too. Thread-safe; shared by all the operators of a JVM.
 */
public final class NameMemo<V> {

    private static final Object NULL = new Object();

    private final Function<String, V> function;
    private final int limit;
    private final Map<String, Object> known = new ConcurrentHashMap<>();

    public NameMemo(Function<String, V> function, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a name memo must hold at least one name, was " + limit);
        }
        this.function = function;
        this.limit = limit;
    }

    /** The function's value for the name; a null name gives the function's value for null, not remembered. */
    @SuppressWarnings("unchecked")
    public V get(String name) {
        if (name == null) {
            return function.apply(null);
        }
        Object value = known.get(name);
        if (value == null) {
            V computed = function.apply(name);
            if (known.size() >= limit) {
                known.clear();
            }
            value = computed == null ? NULL : computed;
            known.put(name, value);
        }
        return value == NULL ? null : (V) value;
    }
}

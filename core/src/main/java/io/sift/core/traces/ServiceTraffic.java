package io.sift.core.traces;

import java.util.HashMap;
import java.util.TreeMap;

/**
 * The state of one service in {@link ServiceTrafficStage}: its open traffic windows (per environment) and the
 * dependencies it was seen calling, each with when it was last seen. Public fields, so a state backend can keep it.
 */
public final class ServiceTraffic {

    /** One window of one environment's requests to the service. */
    public static final class Window {
        /** The environment as the spans name it (null: the default one). */
        public String environment;
        public long requests;
        public long errors;
        public LatencyHistogram latency = new LatencyHistogram();

        public Window() {}
    }

    /** A dependency: what it is, when a span last showed it. */
    public static final class Dependency {
        public io.sift.schema.CallTarget target;
        public long lastSeen;

        public Dependency() {}
    }

    /** The service (the key). */
    public String service;
    /** window start → environment ("" for none) → window. */
    public TreeMap<Long, HashMap<String, Window>> windows = new TreeMap<>();
    /** called item → the dependency. */
    public HashMap<String, Dependency> dependencies = new HashMap<>();

    public ServiceTraffic() {}

    /** Whether nothing is held: the state can be dropped. */
    public boolean isEmpty() {
        return windows.isEmpty() && dependencies.isEmpty();
    }
}

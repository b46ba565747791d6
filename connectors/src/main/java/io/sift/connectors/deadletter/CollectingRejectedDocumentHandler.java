package io.sift.connectors.deadletter;

import io.sift.schema.DeadLetter;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * For tests: collects dead letters in a static list under a name, so a test can read what the
 * (serialized, copied) handlers in its job received, as long as the job runs in the same JVM, e.g.
 * in a MiniCluster.
 *
 * <pre>{@code
 * var handler = new CollectingRejectedDocumentHandler("my-test");
 * ... run the job ...
 * List<DeadLetter> rejected = CollectingRejectedDocumentHandler.collected("my-test");
 * }</pre>
 */
public class CollectingRejectedDocumentHandler implements RejectedDocumentHandler {

    private static final long serialVersionUID = 1L;

    private static final ConcurrentMap<String, List<DeadLetter>> COLLECTED =
            new ConcurrentHashMap<>();

    private final String name;

    public CollectingRejectedDocumentHandler(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name: give a name unique to the test");
        }
        this.name = name;
        COLLECTED.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
    }

    public String name() {
        return name;
    }

    @Override
    public void handle(DeadLetter deadLetter) {
        COLLECTED.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(deadLetter);
    }

    /** What the handlers named {@code name} received so far (a live, thread-safe list). */
    public static List<DeadLetter> collected(String name) {
        return COLLECTED.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
    }

    /** Forgets what was collected under {@code name}. */
    public static void clear(String name) {
        COLLECTED.remove(name);
    }
}

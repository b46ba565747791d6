package io.sift.core.detect;

import io.sift.schema.Anomaly;
import java.io.Serializable;
import java.util.TreeMap;

/**
 * What the configured rules ({@link RuleSet}) remember about one series: per threshold rule its breach start and
 * open episode, per SLO its burn-rate windows and open episode, keyed by the rule's text (so a restore under a
 * changed configuration forgets only the rules that changed).
 */
public final class RuleState implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One threshold rule on this series. */
    public static final class Threshold implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Event time of the first sample of the current breach, or -1 when not breaching. */
        public long breachSince = -1;
        public Anomaly episode;
    }

    /** One SLO on this series. */
    public static final class Slo implements Serializable {
        private static final long serialVersionUID = 1L;
        public final BurnWindows windows;
        public Anomaly episode;

        public Slo() {
            this(new BurnWindows());
        }

        public Slo(BurnWindows windows) {
            this.windows = windows;
        }
    }

    /** Event time of the latest sample evaluated (older or equal ones are ignored). */
    public long lastSeen = Long.MIN_VALUE;
    public final TreeMap<String, Threshold> thresholds = new TreeMap<>();
    public final TreeMap<String, Slo> slos = new TreeMap<>();

    /** Whether no rule has state here (nothing to keep). */
    public boolean isEmpty() {
        return thresholds.isEmpty() && slos.isEmpty();
    }

    public boolean hasOpenEpisode() {
        return thresholds.values().stream().anyMatch(t -> t.episode != null)
                || slos.values().stream().anyMatch(s -> s.episode != null);
    }

    /**
     * Java serial form (the job's rule-state form 1, read only by now; {@link RuleStateCodec} writes form 2). Its
     * episodes are the generated {@link Anomaly} class's own serial form, which only the same {@link Anomaly}
     * schema reads.
     */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1024);
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static RuleState fromBytes(byte[] bytes) {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return (RuleState) in.readObject();
        } catch (java.io.InvalidClassException e) {
            throw new IllegalStateException("rule state in Java serial form (form 1) holds a class of another version"
                    + " (" + e.getMessage() + "); an open episode of an older Anomaly schema cannot be read by this"
                    + " build: restore the savepoint with a build that has the Anomaly schema it was written with and"
                    + " writes rule state form 2, take a savepoint there and restore this build from that one", e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

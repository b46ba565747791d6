package io.sift.core.detect;

/**
 * What the rate of a COUNTER series needs from its previous sample. A plain mutable POJO so that Flink keeps it in keyed
 * state with its POJO serializer (which supports adding fields later).
 */
public class CounterState {
    /** Whether a sample has been seen (the first sample gives no rate). */
    public boolean primed;
    /** Event time of the previous sample (ms). */
    public long lastTime;
    /** The previous cumulative value, in the canonical unit. */
    public double lastValue;
    /** Resets seen (a value below the previous one). */
    public long resets;

    public CounterState() {}
}

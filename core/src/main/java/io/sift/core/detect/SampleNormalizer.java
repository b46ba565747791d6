package io.sift.core.detect;

import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;

/**
 * The stage in front of a series' detector that makes {@code MetricPoint.kind} and {@code unit} mean what the schema
 * says: values in the canonical unit ({@link MetricUnits}), and a COUNTER (a cumulative total) scored as its rate per
 * second. A counter's first sample gives no rate (there is nothing to subtract); a value below the previous one is a
 * reset (a process restart), after which the increase is the new value itself (counted from zero). Gauges, histogram
 * summaries and unknown kinds are scored as sent, in the canonical unit. State: {@link CounterState}, one per counter
 * series, kept by the caller.
 */
public final class SampleNormalizer {

    private SampleNormalizer() {}

    /** Whether {@code point} needs this stage (cheap: most points do not, and pass as they are). */
    public static boolean applies(MetricPoint point) {
        return point.getKind() == MetricKind.COUNTER || MetricUnits.converts(point.getUnit());
    }

    /** Whether {@code point} is a counter (and the caller must pass its {@link CounterState}). */
    public static boolean isCounter(MetricPoint point) {
        return point.getKind() == MetricKind.COUNTER;
    }

    /**
     * The point to score: its value in the canonical unit, a counter's as its rate per second (unit e.g. {@code By/s})
     * and kind GAUGE. Returns null for a counter's first sample, or one not after the previous one, which only update
     * {@code counter}.
     */
    public static MetricPoint normalise(MetricPoint point, CounterState counter) {
        String unit = point.getUnit();
        double value = point.getValue() * MetricUnits.factor(unit);
        if (point.getKind() != MetricKind.COUNTER) {
            return rescaled(point, value, MetricUnits.canonical(unit), point.getKind());
        }
        long time = point.getTime().toEpochMilli();
        if (!counter.primed || time <= counter.lastTime) {
            if (!counter.primed) {
                counter.primed = true;
                counter.lastTime = time;
                counter.lastValue = value;
            }
            return null;
        }
        double increase = value - counter.lastValue;
        if (increase < 0) {
            counter.resets++;
            increase = value; // reset: counted again from zero
        }
        double rate = increase * 1000.0 / (time - counter.lastTime);
        counter.lastTime = time;
        counter.lastValue = value;
        return rescaled(point, rate, MetricUnits.perSecond(unit), MetricKind.GAUGE);
    }

    /**
     * The point with another value, unit and kind, sharing its resource and labels (nobody changes them): on a per-sample
     * path, where the builder's deep copy of the labels would cost more than the detector.
     */
    private static MetricPoint rescaled(MetricPoint point, double value, String unit, MetricKind kind) {
        return new MetricPoint(point.getTime(), point.getName(), value, unit, kind, point.getResource(),
                point.getLabels());
    }
}

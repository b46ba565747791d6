package io.sift.jobs.operators;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;

/** What operators that cache keyed state share. */
final class KeyedOperators {

    private KeyedOperators() {}

    /**
     * Runs an action with another key's keyed state current, then makes the key of the element or timer at hand current
     * again: the operator owns the key context, a function does not.
     */
    static WriteBehindCache.KeySwitch keySwitch(AbstractStreamOperator<?> operator) {
        return (key, action) -> {
            Object previous = operator.getCurrentKey();
            operator.setCurrentKey(key);
            try {
                action.run();
            } finally {
                // Before the first element there is no current key to restore; the next element or timer sets its own.
                if (previous != null) {
                    operator.setCurrentKey(previous);
                }
            }
        };
    }
}

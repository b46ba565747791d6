package io.sift.jobs.operators;

import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
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

    /**
     * Whether the operator's keyed state backend keeps state serialised (RocksDB): then a snapshot holds no object of
     * the operator's, and objects read from state may stay cached across it. The heap backend keeps the objects
     * themselves, which must not change while an asynchronous snapshot writes them.
     */
    static boolean keepsSerialisedState(AbstractStreamOperator<?> operator) {
        return !(operator.getKeyedStateBackend() instanceof HeapKeyedStateBackend);
    }
}

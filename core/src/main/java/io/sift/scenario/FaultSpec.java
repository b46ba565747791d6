package io.sift.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault to inject. {@code null} for {@code rootItem} (or the string {@code "random"}), {@code startOffset} or
 * {@code duration} means: chosen by the generator from the seed.
 *
 * @param type        kind of fault
 * @param rootItem    id of the root-cause item in the estate, or null / "random"
 * @param startOffset start of the fault relative to the scenario start, or null for random placement
 * @param duration    length of the fault (5-20 min when random), or null for random
 */
public record FaultSpec(FaultType type, String rootItem, Duration startOffset, Duration duration) {

    public static final String RANDOM = "random";

    public FaultSpec {
        Objects.requireNonNull(type, "fault type is required, e.g. FaultSpec.of(FaultType.BAD_DEPLOY)");
        if (rootItem != null && (rootItem.isBlank() || rootItem.equalsIgnoreCase(RANDOM))) {
            rootItem = null;
        }
    }

    /** A fault of this type with random root, start and duration. */
    public static FaultSpec of(FaultType type) {
        return new FaultSpec(type, null, null, null);
    }

    /** Same fault rooted on the given item id (or "random"). */
    public FaultSpec on(String item) {
        return new FaultSpec(type, item, startOffset, duration);
    }

    /** Same fault starting this long after the scenario start. */
    public FaultSpec at(Duration offset) {
        return new FaultSpec(type, rootItem, offset, duration);
    }

    /** Same fault lasting this long. */
    public FaultSpec lasting(Duration length) {
        return new FaultSpec(type, rootItem, startOffset, length);
    }
}

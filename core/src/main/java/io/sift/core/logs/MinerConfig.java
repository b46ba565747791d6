package io.sift.core.logs;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of the template miner. One configuration serves every log source: nothing here is tuned per data set.
 *
 * @param masks            the kinds of variable masked before grouping
 * @param maxTemplates     templates kept per service; past it the least recently used one is evicted (and counted)
 * @param maxTokens        tokens of a line that are looked at; the rest of a longer line becomes one variable
 * @param minSimilarity    share of the constant words involved that a line must repeat, position by position, before
 *                         the words that differ may become variables
 * @param minDistinctWords distinct words seen in one place of otherwise equal lines before that place becomes a
 *                         variable: fewer are kept as separate events ("VM Paused" / "VM Started"), more are values
 *                         (user names, hosts)
 */
public record MinerConfig(Set<MaskRule> masks, int maxTemplates, int maxTokens, double minSimilarity,
        int minDistinctWords) implements Serializable {

    public MinerConfig {
        masks = Collections.unmodifiableSet(masks.isEmpty() ? EnumSet.noneOf(MaskRule.class) : EnumSet.copyOf(masks));
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("maxTemplates must be at least 1, was " + maxTemplates);
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2, was " + maxTokens);
        }
        if (!(minSimilarity > 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("minSimilarity must be in (0, 1], was " + minSimilarity);
        }
        if (minDistinctWords < 2) {
            throw new IllegalArgumentException("minDistinctWords must be at least 2, was " + minDistinctWords);
        }
    }

    /** Every mask except quoted strings (quoted names such as services are usually part of the event). */
    public static MinerConfig defaults() {
        return new MinerConfig(EnumSet.complementOf(EnumSet.of(MaskRule.QUOTED)), 2_000, 256, 0.5, 5);
    }

    public MinerConfig withMasks(Set<MaskRule> newMasks) {
        return new MinerConfig(newMasks, maxTemplates, maxTokens, minSimilarity, minDistinctWords);
    }

    public MinerConfig withMaxTemplates(int newMaxTemplates) {
        return new MinerConfig(masks, newMaxTemplates, maxTokens, minSimilarity, minDistinctWords);
    }

    public MinerConfig withMaxTokens(int newMaxTokens) {
        return new MinerConfig(masks, maxTemplates, newMaxTokens, minSimilarity, minDistinctWords);
    }

    public MinerConfig withMinSimilarity(double newMinSimilarity) {
        return new MinerConfig(masks, maxTemplates, maxTokens, newMinSimilarity, minDistinctWords);
    }

    public MinerConfig withMinDistinctWords(int newMinDistinctWords) {
        return new MinerConfig(masks, maxTemplates, maxTokens, minSimilarity, newMinDistinctWords);
    }
}

package io.sift.core.logs;

/**
 * The kinds of variable the masker replaces with {@link LogMasker#WILDCARD} before lines are grouped. Each can be
 * switched off in {@link MinerConfig}; tokens no rule claims stay constant words of the template.
 */
public enum MaskRule {
    /** {@code https://host:port/path?query}, {@code hdfs://...}, {@code akka.tcp://...}. */
    URL,
    /** {@code user@example.org}. */
    EMAIL,
    /** {@code 123e4567-e89b-12d3-a456-426614174000}. */
    UUID,
    /** IPv4 addresses with an optional leading {@code /}; a port after {@code :} is masked as a number. */
    IP,
    /** Host names: dotted labels ending in a common top-level domain ({@code proxy.cse.cuhk.edu.hk}). */
    HOST,
    /** Absolute ({@code /var/lib/x}), home- or dot-relative ({@code ~/x}, {@code ./x}) and multi-segment paths. */
    PATH,
    /** {@code 0x1f}, and hex strings of 8+ characters holding a digit (hashes, ids). */
    HEX,
    /** A number with a time unit: {@code 250ms}, {@code 1.5s}, {@code 3h}. */
    DURATION,
    /**
     * Integers, decimals, signed, with thousands separators or a short unit ({@code 64172MB}, {@code 45%}); a data
     * size written apart ({@code 5.2 KB}) is one variable.
     */
    NUMBER,
    /**
     * Identifiers that carry digits ({@code blk_-1608999687919862906}, {@code attempt_1445_0020_m_000000_0},
     * {@code node-12}, {@code MSRA-SA-41}); a word with a single trailing digit ({@code eth0}, {@code C1}) stays.
     */
    IDENTIFIER,
    /** Dates and times, including month and weekday names and zone abbreviations next to them. */
    DATETIME,
    /** The text between matching single or double quotes ({@code 'x y'} becomes {@code '<*>'}). */
    QUOTED
}

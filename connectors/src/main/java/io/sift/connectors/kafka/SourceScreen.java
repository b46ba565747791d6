package io.sift.connectors.kafka;

import io.sift.core.validate.InputValidator;
import java.io.Serializable;

/**
 * What a Kafka source refuses before a record enters the job, decided where the original bytes and their topic,
 * partition and offset are still at hand, so each dead letter carries them:
 * <ul>
 *   <li>records larger than {@code maxRecordBytes} (not even decoded; 0 = no limit);
 *   <li>string fields that are not valid UTF-8;
 *   <li>what the {@link InputValidator} refuses (null = no validation here);
 *   <li>with {@code allowedLatenessMillis >= 0}: records whose event time is more than that behind the newest record
 *       of their partition, which the job's bounded-out-of-orderness watermark (the same lateness) would call late;
 *   <li>with {@code duplicateMemory > 0}: byte-identical repeats of one of the last {@code duplicateMemory} records of
 *       the partition that are still within the allowed lateness (an older repeat is late anyway). Producers retrying
 *       a send (at-least-once) write such repeats; two distinct events are never byte-identical, as their event times
 *       or contents differ, except two equal lines logged in the same millisecond, which are counted once.
 * </ul>
 * The memory per partition is not checkpointed: after a restore it starts empty, so the first records after it are
 * judged against each other only.
 *
 * @param maxRecordBytes        largest record value accepted, in bytes (0 = any)
 * @param validator             record checks, or null
 * @param allowedLatenessMillis lateness behind the partition's newest record (negative = not checked)
 * @param duplicateMemory       records remembered per partition for the duplicate check (0 = not checked)
 */
public record SourceScreen(long maxRecordBytes, InputValidator validator, long allowedLatenessMillis,
        int duplicateMemory) implements Serializable {

    public SourceScreen {
        if (maxRecordBytes < 0) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 0 (0 = no limit), was " + maxRecordBytes);
        }
        if (duplicateMemory < 0) {
            throw new IllegalArgumentException("duplicateMemory must be >= 0 (0 = off), was " + duplicateMemory);
        }
        if (duplicateMemory > 0 && allowedLatenessMillis < 0) {
            throw new IllegalArgumentException("the duplicate check needs the lateness check (it forgets records"
                    + " once they are late): give allowedLatenessMillis >= 0 or duplicateMemory 0");
        }
    }

    /** Decoding only: nothing else refused. */
    public static SourceScreen none() {
        return new SourceScreen(0, null, -1, 0);
    }

    boolean checksEventTime() {
        return allowedLatenessMillis >= 0;
    }
}

package io.sift.jobs.operators;

import io.sift.schema.DeadLetter;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The side output every operator sends unusable records to. */
public final class DeadLetterTag {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** Name of the counter of dead-lettered records, on every operator that rejects records. */
    public static final String COUNTER = "deadLettered";

    private DeadLetterTag() {}
}

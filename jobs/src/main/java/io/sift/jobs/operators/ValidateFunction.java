package io.sift.jobs.operators;

import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.connectors.kafka.DeadLetters;
import io.sift.core.validate.InputValidator;
import io.sift.core.validate.InputValidator.Rejection;
import io.sift.schema.DeadLetter;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Passes decoded, valid records on and sends the rest (undecodable bytes, invalid values) to the dead-letter side
 * output, counted per error kind. Nothing is dropped silently. Kafka sources have screened their records already
 * (with the Kafka position in the dead letter); checking again here costs little and covers in-memory sources.
 */
public final class ValidateFunction<T extends SpecificRecordBase> extends ProcessFunction<Either<DeadLetter, T>, T> {

    private static final long serialVersionUID = 1L;

    /** Checks one record against the wall clock; returns a rejection or null. */
    @FunctionalInterface
    public interface Check<T> extends java.io.Serializable {
        Rejection check(InputValidator validator, T record, long nowMillis);
    }

    private final InputValidator validator;
    private final Check<T> check;
    private transient DeadLetterCounter deadLettered;
    private transient Counter accepted;
    private transient BinaryMessageEncoder<T> encoder;

    public ValidateFunction(InputValidator validator, Check<T> check) {
        this.validator = validator;
        this.check = check;
    }

    @Override
    public void open(OpenContext openContext) {
        // Job-wide totals across all operators that dead-letter (same names, merged), for run summaries.
        deadLettered = new DeadLetterCounter(getRuntimeContext());
        accepted = getRuntimeContext().getMetricGroup().counter("recordsAccepted");
    }

    @Override
    public void processElement(Either<DeadLetter, T> value, Context ctx, Collector<T> out) {
        if (value.isLeft()) {
            deadLettered.count(value.left());
            ctx.output(DeadLetterTag.DEAD_LETTERS, value.left());
            return;
        }
        T record = value.right();
        Rejection rejection = check.check(validator, record, System.currentTimeMillis());
        if (rejection != null) {
            DeadLetter deadLetter = DeadLetters.invalid("validate", rejection.errorKind(), rejection.message(), null,
                    singleObjectBytes(record));
            deadLettered.count(deadLetter);
            ctx.output(DeadLetterTag.DEAD_LETTERS, deadLetter);
            return;
        }
        accepted.inc();
        out.collect(record);
    }

    /** The record as its producer wrote it (single-object encoding), so the dead letter can be replayed. */
    @SuppressWarnings("unchecked")
    private byte[] singleObjectBytes(T record) {
        if (encoder == null) {
            encoder = AvroRecordSerializer.encoderFor((Class<T>) record.getClass());
        }
        return AvroRecordSerializer.encode(encoder, record);
    }
}

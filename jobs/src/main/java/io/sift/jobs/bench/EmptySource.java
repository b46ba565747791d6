package io.sift.jobs.bench;

import io.sift.jobs.SiftSource;
import io.sift.schema.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.types.Either;

/**
 * An input with no records for the single-input job stages. Flink's in-memory and generator sources cannot be empty
 * (a count of 0 still emits one element), so it holds one dead letter: the job routes it to the dead-letter output,
 * it never moves event time, and the finished source lets the watermark follow the other inputs.
 */
final class EmptySource {

    private EmptySource() {}

    static <T extends SpecificRecordBase> SiftSource<T> of(Class<T> recordClass) {
        DeadLetter placeholder = DeadLetter.newBuilder()
                .setTime(Instant.EPOCH)
                .setStage("bench")
                .setErrorKind("BENCH_PLACEHOLDER")
                .setMessage("the bench gives this input no records")
                .build();
        return SiftSource.ofDecoded(List.of(Either.<DeadLetter, T>Left(placeholder)), recordClass);
    }
}

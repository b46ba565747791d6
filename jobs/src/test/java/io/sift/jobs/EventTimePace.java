package io.sift.jobs;

import io.sift.schema.DeadLetter;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Either;

/**
 * Lets a source's records through no faster than {@code speed} times real time in event time, counted from the first
 * record each subtask sees after it (re)starts: live telemetry in fast motion. A bounded job over a filled topic then
 * runs long enough for a test to hurt its services mid-run. Dead letters pass unpaced.
 *
 * <p>Also counts the records it let through and notes the highest attempt number of its subtasks, per pace name: an
 * attempt above 0 means the job restarted.
 */
final class EventTimePace<T extends SpecificRecordBase> extends RichMapFunction<Either<DeadLetter, T>, Either<DeadLetter, T>> {

    private static final Map<String, Integer> HIGHEST_ATTEMPT = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> PASSED = new ConcurrentHashMap<>();

    private final String name;
    private final double speed;
    private final SiftJob.SerializableFunctionToInstant<T> time;
    private transient long firstEventMillis;
    private transient long firstWallNanos;
    private transient boolean started;
    private transient LongAdder passed;

    private EventTimePace(String name, double speed, SiftJob.SerializableFunctionToInstant<T> time) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed: give event-time seconds per second above 0, got " + speed);
        }
        this.name = name;
        this.speed = speed;
        this.time = time;
    }

    /**
     * The job's inputs with the metrics and logs paced at {@code speed}; {@code name} keys {@link #highestAttempt}.
     * Changes and topology stay unpaced: they are sparse, and a long sleep until their next record would hold up the
     * task's checkpoints (the pace sleeps on the task thread); event time waits for the slowest input anyway.
     */
    static SiftJob.Inputs inputs(SiftJob.Inputs inputs, String name, double speed) {
        return new SiftJob.Inputs(
                paced(inputs.metrics(), new EventTimePace<>(name, speed, MetricPoint::getTime)),
                paced(inputs.logs(), new EventTimePace<>(name, speed, LogRecord::getTime)),
                inputs.changes(),
                inputs.topology());
    }

    /** The highest attempt number any paced subtask of {@code name} ran as (0: no restart; -1: never ran). */
    static int highestAttempt(String name) {
        return HIGHEST_ATTEMPT.getOrDefault(name, -1);
    }

    /** Records (dead letters included) the paced sources of {@code name} have let through, restarts included. */
    static long passed(String name) {
        LongAdder passed = PASSED.get(name);
        return passed == null ? 0 : passed.sum();
    }

    private static <T extends SpecificRecordBase> SiftSource<T> paced(SiftSource<T> source, EventTimePace<T> pace) {
        return (env, watermarks, sourceName, uid) -> {
            DataStream<Either<DeadLetter, T>> records = source.create(env, watermarks, sourceName, uid);
            return records.map(pace).returns(records.getType()).name(sourceName + ": paced").uid(uid + "-paced");
        };
    }

    @Override
    public void open(OpenContext context) {
        started = false;
        passed = PASSED.computeIfAbsent(name, n -> new LongAdder());
        HIGHEST_ATTEMPT.merge(name, getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public Either<DeadLetter, T> map(Either<DeadLetter, T> record) throws InterruptedException {
        passed.increment();
        if (record.isLeft()) {
            return record;
        }
        long eventMillis = time.apply(record.right()).toEpochMilli();
        if (!started) {
            started = true;
            firstEventMillis = eventMillis;
            firstWallNanos = System.nanoTime();
            return record;
        }
        long dueNanos = firstWallNanos + (long) ((eventMillis - firstEventMillis) * 1_000_000L / speed);
        long waitNanos = dueNanos - System.nanoTime();
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
        return record;
    }
}

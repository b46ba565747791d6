package io.sift.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a JDK Flight Recorder file: the execution samples (optionally only those whose stack
 * holds a frame containing a given text, e.g. the stage's loop) summarised as the methods most often on top of the
 * stack (self time) and most often anywhere on it (total time; with a frame filter, only the frames it called). A
 * filter {@code thread=TEXT} keeps the samples of threads whose name contains TEXT instead (Flink names task threads
 * after their operator chain). Usage:
 * {@code java -cp ... io.sift.jobs.bench.ProfileSummary FILE.jfr [FRAME-FILTER|thread=TEXT] [TOP]}; record with
 * {@code JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=filename=FILE.jfr,settings=profile ./sift bench --stages ...}.
 */
public final class ProfileSummary {

    private static final String THREAD_FILTER = "thread=";

    private ProfileSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ProfileSummary FILE.jfr [FRAME-FILTER] [TOP]");
            System.exit(2);
        }
        String filter = args.length > 1 ? args[1] : "";
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            // Frames run from the top of the stack (index 0) down to the thread's entry point.
            int below = frames.size();
            if (filter.startsWith(THREAD_FILTER)) {
                RecordedThread thread = event.getThread("sampledThread");
                if (thread == null || thread.getJavaName() == null
                        || !thread.getJavaName().contains(filter.substring(THREAD_FILTER.length()))) {
                    continue;
                }
            } else if (!filter.isEmpty()) {
                below = -1;
                for (int i = 0; i < frames.size() && below < 0; i++) {
                    if (name(frames.get(i)).contains(filter)) {
                        below = i;
                    }
                }
                if (below < 0) {
                    continue;
                }
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames.subList(0, below)) {
                if (seen.add(name(frame))) {
                    total.merge(name(frame), 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples%s%n", samples, filter.isEmpty() ? ""
                : filter.startsWith(THREAD_FILTER) ? " of threads named '*" + filter.substring(THREAD_FILTER.length())
                + "*'" : " with a frame containing '" + filter + "'");
        print("self (on top of the stack)", self, samples, top);
        print("total (anywhere on the stack)", total, samples, top);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.printf(Locale.ROOT, "%n%s:%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / samples,
                        e.getKey()));
    }
}

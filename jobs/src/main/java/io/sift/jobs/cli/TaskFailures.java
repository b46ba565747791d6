package io.sift.jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The causes of the task failures of a job in this process, as Flink's {@code Task} logs them. A job that exhausts its
 * restarts reports only its last failure, often a consequence of the first (a lost coordinator event after a failed
 * source); the console needs the cause, e.g. a codec missing from the class path.
 */
final class TaskFailures implements AutoCloseable {

    private static final String TASK_LOGGER = "org.apache.flink.runtime.taskmanager.Task";

    private final Set<String> rootCauses = new LinkedHashSet<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final Runnable detach;

    private TaskFailures(Runnable detach) {
        this.detach = detach;
    }

    /** Starts listening to task failures; without Log4j 2 as the logging backend, listens to nothing. */
    static TaskFailures capture() {
        TaskFailures captured;
        try {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                return new TaskFailures(() -> {});
            }
            Configuration config = context.getConfiguration();
            LoggerConfig logger = config.getLoggerConfig(TASK_LOGGER);
            String name = "sift-run-task-failures";
            TaskFailures[] holder = new TaskFailures[1];
            AbstractAppender appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    if (event.getThrown() != null) {
                        holder[0].add(event.getThrown());
                    }
                }
            };
            appender.start();
            logger.addAppender(appender, Level.WARN, null);
            context.updateLoggers();
            holder[0] = new TaskFailures(() -> {
                logger.removeAppender(name);
                appender.stop();
                context.updateLoggers();
            });
            captured = holder[0];
        } catch (LinkageError | RuntimeException noLog4j) {
            captured = new TaskFailures(() -> {});
        }
        return captured;
    }

    private synchronized void add(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (rootCauses.add(root.getClass().getName() + ": " + root.getMessage())) {
            failures.add(failure);
        }
    }

    /** Distinct root causes of the task failures so far, first seen first. */
    synchronized List<String> rootCauses() {
        return List.copyOf(rootCauses);
    }

    /** The task failures with distinct root causes, first seen first. */
    synchronized List<Throwable> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        detach.run();
    }
}

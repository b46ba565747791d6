package io.sift.jobs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Takes a savepoint of a job on a Flink cluster through its REST API and prints the savepoint's path, which
 * {@code sift submit --from-savepoint PATH} resumes from. With {@code --stop} the job stops once the savepoint is
 * taken (the way to upgrade or reconfigure it without losing state).
 */
@Command(name = "savepoint", mixinStandardHelpOptions = true,
        description = {"Take a savepoint of a running job and print its path (resume with 'sift submit --from-savepoint PATH').",
                "With --stop, stop the job with that savepoint."})
final class SavepointCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job's id, as printed by 'sift submit'.")
    String jobId;

    @Option(names = "--stop", description = "Stop the job with the savepoint (it ends FINISHED).")
    boolean stop;

    @Option(names = "--drain", description = "With --stop: first let event time run to the end, firing every window "
            + "and timer (for a job that will not be resumed).")
    boolean drain;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Target directory, e.g. file:///data/savepoints (default: the cluster's savepoint directory).")
    String directory;

    @Option(names = "--rest", paramLabel = "URL", description = "Flink REST API (default: $" + SubmitCommand.REST_ENV
            + ", else " + SubmitCommand.DEFAULT_REST + ").")
    String rest;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10M",
            description = "Give up waiting for the savepoint after this long (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (!jobId.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("a job id is 32 hex digits, as 'sift submit' prints it; got '" + jobId + "'");
        }
        if (drain && !stop) {
            throw new IllegalArgumentException("--drain only goes with --stop");
        }
        try {
            SubmitCommand.FlinkRest flink = new SubmitCommand.FlinkRest(SubmitCommand.restUrl(rest));
            String location = flink.savepoint(jobId, directory, stop, drain, timeout);
            PrintWriter err = spec.commandLine().getErr();
            err.printf("savepoint of job %s%s: %s%n", jobId, stop ? " (job stopped)" : "", location);
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println(location);
            out.flush();
            return 0;
        } catch (IllegalStateException | IOException e) {
            return SubmitCommand.failed(spec, e);
        }
    }
}

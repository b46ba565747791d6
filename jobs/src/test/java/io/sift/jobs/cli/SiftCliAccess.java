package io.sift.jobs.cli;

/** The command line as {@code ./sift} runs it, for tests in other packages (without System.exit). */
public final class SiftCliAccess {

    private SiftCliAccess() {}

    public static int execute(String... args) {
        return SiftCli.commandLine().execute(args);
    }
}

package io.sift.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sift} command line. Its contract is stable: others script against it. */
@Command(name = "sift", mixinStandardHelpOptions = true, version = "sift 0.1.0",
        description = "Streaming AIOps on Apache Flink: telemetry and logs in, deduplicated incidents with root-cause hints out.",
        subcommands = {DemoCommand.class, EvalCommand.class, BenchCommand.class, RunCommand.class, OptionsCommand.class, SchemasCommand.class, ResetCommand.class,
                SubmitCommand.class, SavepointCommand.class, GatewayCommand.class})
public final class SiftCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Sift's error handling: a refused setting prints its message, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new SiftCli()).setExecutionExceptionHandler((error, command, parsed) -> {
            if (error instanceof IllegalArgumentException) {
                command.getErr().println("sift: " + error.getMessage());
                return 2;
            }
            throw error;
        });
    }
}

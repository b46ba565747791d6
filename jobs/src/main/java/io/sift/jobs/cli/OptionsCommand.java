package io.sift.jobs.cli;

import io.sift.jobs.OptionsCatalog;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.ConfigOption;
import picocli.CommandLine.Command;

/** Prints every setting with its default and description. */
@Command(name = "options", mixinStandardHelpOptions = true, description = "List every setting, its default and what it does.")
final class OptionsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (ConfigOption<?> option : OptionsCatalog.all()) {
            System.out.printf("%-36s default: %s%n    %s%n", option.key(),
                    option.hasDefaultValue() ? option.defaultValue() : "(none)",
                    new PlainTextFormatter().format(option.description()));
        }
        return 0;
    }
}

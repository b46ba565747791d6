package io.sift.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sift eval nab|asd|loghub|scenarios|petshop|sockshop|rcd-sockshop --data DIR [--json FILE]}: Sift's algorithms on public benchmarks
 * and generated scenarios. Each evaluation prints a table and, with {@code --json}, writes the figures for scripts.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate Sift on public benchmarks and generated scenarios.",
        subcommands = {EvalNabCommand.class, EvalAsdCommand.class, EvalLoghubCommand.class, EvalScenariosCommand.class,
                EvalPetshopCommand.class, EvalFaultsCommand.SockShop.class, EvalFaultsCommand.RcdSockShop.class,
                EvalFaultsCommand.FaultAlerts.class})
final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

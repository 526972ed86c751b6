package dev.kompact.cli;

import dev.kompact.executor.cluster.ClusterUnreachableException;
import dev.kompact.optimizer.plan.NoValidPlanException;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The one command users run. Exit codes: 0 done, 1 no valid plan or unexpected failure, 2 bad flags or input. */
@Command(
        name = "kompact",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        version = "kompact 0.1.0",
        description = "Cost optimization for Kubernetes on AWS.",
        subcommands = {
            ReportCommand.class,
            PlanCommand.class,
            SnapshotCommand.class,
            PricesCommand.class,
            ControllerCommand.class,
            AgentCommand.class,
            SimulateCommand.class,
            BenchCommand.class
        })
public final class Kompact {

    static final int NO_PLAN = 1;
    static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Kompact());
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            command.getErr()
                    .println("kompact: " + e.getMessage() + " (see '"
                            + command.getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            var err = command.getErr();
            if (e instanceof InvalidSnapshotException invalid) {
                err.println("kompact: " + invalid.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof NoSuchFileException missing) {
                err.println("kompact: " + missing.getFile() + ": no such file");
                return BAD_INPUT;
            }
            if (e instanceof IOException io) {
                err.println("kompact: cannot read or write a file: " + io.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof IllegalArgumentException bad) {
                err.println("kompact: " + bad.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof ClusterUnreachableException unreachable) {
                err.println("kompact: " + unreachable.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof KubernetesClientException cluster) {
                err.println("kompact: cannot read the cluster: " + cluster.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof NoValidPlanException noPlan) {
                err.println("kompact: " + noPlan.getMessage());
                return NO_PLAN;
            }
            err.println("kompact: unexpected failure: " + e);
            return NO_PLAN;
        });
        return cli;
    }
}

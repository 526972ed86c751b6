package dev.kompact.cli;

import dev.kompact.optimizer.model.Headroom;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every planning command shares. */
final class PlanningOptions {

    @Option(
            names = "--snapshot",
            paramLabel = "FILE",
            description = "ClusterSnapshot JSON to plan (default: the bundled sample cluster)")
    Path snapshot;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "plan the live cluster this kubeconfig points at instead (read only, nothing is changed)")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: its current one)")
    String context;

    @Option(
            names = "--time-limit",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Longest time to plan, e.g. 30s, 2m (default: ${DEFAULT-VALUE}); stops earlier once the"
                    + " best plan is within 1%% of its lower bound or has not improved for a long while")
    Duration timeLimit;

    @Option(
            names = "--headroom",
            paramLabel = "SHARE",
            converter = HeadroomConverter.class,
            description = "CPU and memory every node keeps free of requests, e.g. 10%% or cpu=10%%,memory=20%%; add"
                    + " ',cluster' to keep it free over the nodes together instead (room for a surge somewhere,"
                    + " while single nodes may fill up), ',hard' to forbid using it, else using it costs the share"
                    + " of the price it takes (default: none). The report shows what the headroom costs.")
    Headroom headroom = Headroom.NONE;

    @Mixin
    PriceOptions prices = new PriceOptions();
}

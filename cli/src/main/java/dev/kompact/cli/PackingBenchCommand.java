package dev.kompact.cli;

import dev.kompact.sim.packing.PackingBenchmark;
import dev.kompact.sim.packing.PackingRow;
import dev.kompact.sim.packing.PackingShape;
import dev.kompact.sim.packing.PackingTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "packing",
        description =
                "Pack seeded from-scratch sets (every pod pending, fixed priced nodes, no offerings; alibaba-openb is drawn"
                        + " from the public Alibaba GPU trace) with Kompact"
                        + " and with a plain Timefold model under its default configuration, one after the other with the"
                        + " same time limit; print cost over the lower bound for both, time to first feasible and to best."
                        + " Progress goes to standard error, the table to standard output.")
final class PackingBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--shapes",
            split = ",",
            paramLabel = "SHAPE",
            defaultValue = "many-small,few-large,cpu-bound,memory-bound,gpu-bound,alibaba-openb",
            description = "Sets to generate (default: ${DEFAULT-VALUE})")
    List<String> shapes;

    @Option(
            names = "--nodes",
            split = ",",
            paramLabel = "N",
            defaultValue = "100,400,1600",
            description = "Node counts; each set has three pods per node (default: ${DEFAULT-VALUE})")
    List<Integer> nodes;

    @Option(
            names = "--time-limit",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Each solver's limit per set (default: ${DEFAULT-VALUE})")
    Duration timeLimit;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The sets' seed")
    long seed;

    @Override
    public Integer call() {
        List<PackingShape> parsed = shapes.stream().map(PackingShape::parse).toList();
        for (int n : nodes) {
            if (n < 1) {
                throw new IllegalArgumentException("--nodes must be positive, not " + n);
            }
        }
        PackingBenchmark benchmark = new PackingBenchmark(spec.commandLine().getErr());
        List<PackingRow> rows = new ArrayList<>();
        for (int n : nodes) {
            for (PackingShape shape : parsed) {
                rows.add(benchmark.measure(shape, n, seed, timeLimit));
            }
        }
        PackingTable.print(spec.commandLine().getOut(), rows, timeLimit.toSeconds());
        return 0;
    }
}

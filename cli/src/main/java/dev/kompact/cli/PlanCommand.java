package dev.kompact.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.plan.PlanGate;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.solver.SolverSettings;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "Plan a cheaper placement and print the plan as JSON on stdout (dry run).")
final class PlanCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    PlanningOptions options = new PlanningOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ClusterSnapshot snapshot =
                SnapshotSource.load(options, spec.commandLine().getErr());
        RebalancePlan plan = plan(snapshot, options, spec);
        spec.commandLine().getOut().println(JSON.writeValueAsString(plan));
        return 0;
    }

    static RebalancePlan plan(ClusterSnapshot snapshot, PlanningOptions options, CommandSpec spec) throws IOException {
        return plan(snapshot, options, options.headroom, spec);
    }

    static RebalancePlan plan(ClusterSnapshot snapshot, PlanningOptions options, Headroom headroom, CommandSpec spec)
            throws IOException {
        var err = spec.commandLine().getErr();
        err.printf(
                "Planning %s: %d nodes, %d pods (time limit %ss%s)%n",
                snapshot.name(),
                snapshot.nodes().size(),
                snapshot.pods().size(),
                options.timeLimit.toMillis() / 1000.0,
                headroom.none() ? "" : ", headroom " + headroom);
        return new Planner(
                        SolverSettings.of(options.timeLimit),
                        new ProgressPrinter(err),
                        PlanGate.DEFAULT,
                        headroom,
                        options.prices.catalog().region())
                .plan(snapshot);
    }
}

package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.solver.ClusterPlacement;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import dev.kompact.optimizer.solver.PlacementSolver;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;

/**
 * Snapshot in, plan out. When the search ends without a plan Kubernetes would accept, the cluster is left as it is:
 * the plan changes nothing and says so, rather than proposing a step that breaks a rule.
 */
public final class Planner {

    private final SolverSettings settings;
    private final SolverProgress progress;
    private final PlanGate gate;

    public Planner(SolverSettings settings, SolverProgress progress) {
        this(settings, progress, PlanGate.DEFAULT);
    }

    public Planner(SolverSettings settings, SolverProgress progress, PlanGate gate) {
        this.settings = settings;
        this.progress = progress;
        this.gate = gate;
    }

    public RebalancePlan plan(ClusterSnapshot snapshot) {
        ClusterPlacement problem = new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot);
        long start = System.nanoTime();
        PlacementSolver solver = new PlacementSolver(settings, progress);
        ClusterPlacement solution = solver.solve(problem);
        long solveMillis = (System.nanoTime() - start) / 1_000_000;
        if (!solution.getScore().isFeasible()) {
            throw new NoValidPlanException(solver.brokenHardRules(solution));
        }
        return new PlanBuilder(snapshot, DaemonSetOverhead.of(snapshot.pods()), gate).build(solution, solveMillis);
    }
}

package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.move.Evacuation;
import dev.kompact.optimizer.oracle.PlanVerifier;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import dev.kompact.optimizer.solver.PlacementSolver;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Snapshot in, plan out:
 * <ol>
 *   <li>build the planning problem, start pending pods where the scheduler would, and solve; when the best
 *       placement breaks a rule, stop and say which;</li>
 *   <li>take back the moves between kept nodes that buy nothing ({@link NeedlessMoves});</li>
 *   <li>read the placement back as a plan ordered into safe waves;</li>
 *   <li>take back the moves that no safe order admits — those pods stay where they are, which the moves ordered
 *       before them already assumed — then empty again, within their zone, the nodes those pods kept alive, and
 *       read the plan again, so that what is proposed can be carried out;</li>
 *   <li>let the gate decide whether the plan is worth its disruption;</li>
 *   <li>replay the plan on the {@link PlanVerifier}, apart from the solver, and reject it when the replay breaks a
 *       rule: a rejected plan is reported with its violations and never carried out.</li>
 * </ol>
 */
public final class Planner {

    private static final int MAX_REPAIRS = 3;

    private final SolverSettings settings;
    private final SolverProgress progress;
    private final PlanGate gate;
    private final Headroom headroom;

    public Planner(SolverSettings settings, SolverProgress progress) {
        this(settings, progress, PlanGate.DEFAULT);
    }

    public Planner(SolverSettings settings, SolverProgress progress, PlanGate gate) {
        this(settings, progress, gate, Headroom.NONE);
    }

    /** @param headroom what every node keeps free of requests, as a hard rule or at a price */
    public Planner(SolverSettings settings, SolverProgress progress, PlanGate gate, Headroom headroom) {
        this.settings = settings;
        this.progress = progress;
        this.gate = gate;
        this.headroom = headroom;
    }

    public RebalancePlan plan(ClusterSnapshot snapshot) {
        ClusterPlacement problem =
                new ClusterPlacementFactory(InstanceCatalog.bundled(), gate.minSavingsPerDisruption()).build(snapshot);
        if (!headroom.none()) {
            problem.getNodes().forEach(node -> node.setHeadroom(headroom));
        }
        new PendingPodSeeder(snapshot).seed(problem);
        long start = System.nanoTime();
        PlacementSolver solver = new PlacementSolver(settings, progress);
        ClusterPlacement solution = solver.solve(problem);
        long solveMillis = (System.nanoTime() - start) / 1_000_000;
        if (!solution.getScore().isFeasible()) {
            throw new NoValidPlanException(solver.brokenHardRules(solution));
        }
        NeedlessMoves.takeBack(solver, solution);
        PlanBuilder builder = new PlanBuilder(snapshot, DaemonSetOverhead.of(snapshot.pods()), gate);
        PlanBuilder.Built built = builder.build(solution, solveMillis);
        for (int repair = 0; repair < MAX_REPAIRS && !built.unordered().isEmpty(); repair++) {
            Set<String> stuck = new HashSet<>();
            built.unordered().keySet().forEach(move -> stuck.add(move.pod()));
            Set<NodeSlot> used = new HashSet<>();
            solution.getPlacements().forEach(p -> used.add(p.getNode()));
            Set<NodeSlot> revived = new LinkedHashSet<>();
            for (PodPlacement placement : solution.getPlacements()) {
                if (stuck.contains(placement.getId())) {
                    NodeSlot current = placement.getCurrentNode();
                    placement.setNode(current);
                    if (current != null && !used.contains(current) && !current.isKept()) {
                        revived.add(current);
                    }
                }
            }
            solver.rescore(solution);
            if (repair < MAX_REPAIRS - 1) {
                // its moves are ordered by the next round, which takes back any that no order admits
                evacuate(solver, solution, revived);
            }
            built = builder.build(solution, solveMillis);
        }
        RebalancePlan plan = built.plan();
        List<String> violations = new PlanVerifier().verify(snapshot, plan, headroom);
        return violations.isEmpty() ? plan : plan.withDecision(Decision.rejected(violations));
    }

    /** Empties again the nodes that taken-back pods revived, unless that breaks a rule. */
    private static void evacuate(PlacementSolver solver, ClusterPlacement solution, Set<NodeSlot> revived) {
        Map<PodPlacement, NodeSlot> previous = Evacuation.evacuate(solution, revived);
        if (previous.isEmpty()) {
            return;
        }
        solver.rescore(solution);
        if (!solution.getScore().isFeasible()) {
            previous.forEach(PodPlacement::setNode);
            solver.rescore(solution);
        }
    }
}

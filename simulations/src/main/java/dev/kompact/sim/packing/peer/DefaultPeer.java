package dev.kompact.sim.packing.peer;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import dev.kompact.optimizer.model.ClusterSnapshot;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bar Kompact must clear from scratch: the plain model solved with Timefold's default configuration (its default
 * construction heuristic and local search, nothing tuned), stopped only by the same time limit.
 */
public final class DefaultPeer {

    private DefaultPeer() {}

    /** Where the peer put each pod (by pod key), and when it first placed every pod validly and found its best. */
    public record Result(
            Map<String, String> nodeOfPod,
            boolean feasible,
            long costMicros,
            long firstFeasibleMillis,
            long bestMillis) {}

    public static Result solve(ClusterSnapshot snapshot, Duration timeLimit, long seed) {
        SolverConfig config = new SolverConfig()
                .withSolutionClass(PeerPacking.class)
                .withEntityClasses(PeerPod.class)
                .withConstraintProviderClass(PeerConstraints.class)
                .withRandomSeed(seed)
                .withTerminationConfig(new TerminationConfig().withSpentLimit(timeLimit));
        long start = System.nanoTime();
        Solver<PeerPacking> solver = SolverFactory.<PeerPacking>create(config).buildSolver();
        AtomicLong firstFeasible = new AtomicLong(-1);
        AtomicLong best = new AtomicLong(-1);
        solver.addEventListener(event -> {
            if (event.isNewBestSolutionInitialized()) {
                long now = (System.nanoTime() - start) / 1_000_000;
                if (event.getNewBestScore().isFeasible()) {
                    firstFeasible.compareAndSet(-1, now);
                }
                best.set(now);
            }
        });
        PeerPacking solved = solver.solve(PeerProblem.of(snapshot));
        Map<String, String> nodeOfPod = new LinkedHashMap<>();
        solved.getPods()
                .forEach(p -> nodeOfPod.put(
                        p.getName(), p.getNode() == null ? null : p.getNode().name()));
        long cost = -solved.getScore().softScore();
        return new Result(nodeOfPod, solved.getScore().isFeasible(), cost, firstFeasible.get(), best.get());
    }
}

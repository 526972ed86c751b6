package dev.kompact.sim.packing;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.oracle.ClusterState;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.solver.SolverSettings;
import dev.kompact.sim.packing.peer.DefaultPeer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kompact against the {@link DefaultPeer} on from-scratch packing sets, one after the other in this process with the
 * same time limit, both judged against Kompact's lower bound of the set. Kompact's plan is checked by its
 * {@code PlanVerifier} (inside the planner); the peer's placement by replaying it on a {@link ClusterState}. A
 * harness that prints figures, not a test: progress goes to {@code log}.
 */
public final class PackingBenchmark {

    private final PrintWriter log;

    public PackingBenchmark(PrintWriter log) {
        this.log = log;
    }

    public PackingRow measure(PackingShape shape, int nodes, long seed, Duration timeLimit) {
        ClusterSnapshot snapshot = PackingSetGenerator.generate(shape, nodes, seed);
        log.printf(
                "[%s %d] %d pods, Kompact for %d s%n",
                shape.label(), nodes, snapshot.pods().size(), timeLimit.toSeconds());
        AtomicLong firstFeasible = new AtomicLong(-1);
        AtomicLong best = new AtomicLong(-1);
        long kompactStart = System.nanoTime();
        RebalancePlan plan = new Planner(SolverSettings.of(timeLimit), (elapsed, score) -> {
                    if (score.isFeasible() && score.mediumScore() == 0) {
                        long now = (System.nanoTime() - kompactStart) / 1_000_000;
                        firstFeasible.compareAndSet(-1, now);
                        best.set(now);
                    }
                })
                .plan(snapshot);
        long kompactWall = (System.nanoTime() - kompactStart) / 1_000_000;
        long bound = plan.lowerBound().cost().microsPerHour();
        long kompactCost = plan.costAfter().microsPerHour();
        int kompactViolations =
                plan.decision().violations().size() + plan.unplacedPods().size();
        PackingRun kompact = new PackingRun(
                kompactCost,
                ratio(kompactCost, bound),
                firstFeasible.get(),
                best.get(),
                kompactWall,
                plan.search().stoppedBecause(),
                kompactViolations);

        log.printf(
                "[%s %d] Kompact %.3f× bound; default-configuration peer for %d s%n",
                shape.label(), nodes, kompact.costPerBound(), timeLimit.toSeconds());
        long peerStart = System.nanoTime();
        DefaultPeer.Result result = DefaultPeer.solve(snapshot, timeLimit, seed);
        long peerWall = (System.nanoTime() - peerStart) / 1_000_000;
        List<String> peerViolations = check(snapshot, result.nodeOfPod());
        long peerCost = costOf(snapshot, result.nodeOfPod());
        if (peerCost != result.costMicros() && result.feasible()) {
            peerViolations.add("the peer's score says " + result.costMicros() + " µ$/h, its nodes cost " + peerCost);
        }
        PackingRun peer = new PackingRun(
                peerCost,
                ratio(peerCost, bound),
                result.firstFeasibleMillis(),
                result.bestMillis(),
                peerWall,
                "time limit",
                peerViolations.size());
        log.flush();
        log.printf(
                "[%s %d] peer %.3f× bound, %d violations%s%n",
                shape.label(),
                nodes,
                peer.costPerBound(),
                peerViolations.size(),
                peerViolations.isEmpty() ? "" : ", e.g. " + peerViolations.get(0));
        return new PackingRow(shape, nodes, snapshot.pods().size(), bound, kompact, peer);
    }

    /** Places the peer's pods one by one on a {@link ClusterState}; what the scheduler would refuse is a violation. */
    static List<String> check(ClusterSnapshot snapshot, Map<String, String> nodeOfPod) {
        ClusterState state = new ClusterState(snapshot);
        List<String> violations = new ArrayList<>();
        for (Pod pod : snapshot.pods()) {
            String node = nodeOfPod.get(pod.key().toString());
            if (node == null) {
                violations.add(pod.key() + " is not placed");
                continue;
            }
            state.whyNot(pod, node)
                    .ifPresentOrElse(
                            why -> violations.add(pod.key() + " on " + node + ": " + why),
                            () -> state.place(pod, node));
        }
        return violations;
    }

    private static long costOf(ClusterSnapshot snapshot, Map<String, String> nodeOfPod) {
        var used = new java.util.HashSet<>(nodeOfPod.values());
        return snapshot.nodes().stream()
                .filter(n -> used.contains(n.name()))
                .mapToLong(n -> n.pricePerHourMicros())
                .sum();
    }

    private static double ratio(long cost, long bound) {
        return bound == 0 ? 0 : (double) cost / bound;
    }
}

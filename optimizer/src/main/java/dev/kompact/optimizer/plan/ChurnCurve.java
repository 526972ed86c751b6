package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.ClusterPlacementCloner;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.move.Evacuation;
import dev.kompact.optimizer.oracle.PlanVerifier;
import dev.kompact.optimizer.solver.PlacementSolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The saving-versus-disruption curve of a plan: besides the cheapest plan, the cheapest found within smaller budgets
 * of disruption ({@link #SHARES} of its disrupted pods, and at most {@link #RESTARTS} restarts).
 * <ol>
 *   <li>start from the cluster as it runs, pending pods where the cheapest plan puts them;</li>
 *   <li>empty, one at a time, the nodes the cheapest plan removes, the most saved per pod disrupted first, each onto
 *       the used nodes of its zone ({@link Evacuation}); a node whose pods do not fit stays;</li>
 *   <li>per budget, the longest prefix within it is read back as a plan, and kept only when the score finds no broken
 *       rule, every move has a safe order and the {@link PlanVerifier} accepts it.</li>
 * </ol>
 * Points are only ever plans that could be carried out; a budget no valid prefix fits, or that the time limit leaves
 * no time for, is left out.
 */
final class ChurnCurve {

    static final double[] SHARES = {0.10, 0.25, 0.50};
    static final int RESTARTS = 100;

    private final ClusterSnapshot snapshot;
    private final PlacementSolver solver;
    private final PlanBuilder builder;

    private final long deadlineNanos;

    /** Points are drawn until {@code deadlineNanos} ({@link System#nanoTime()}); the cheapest plan always is one. */
    ChurnCurve(ClusterSnapshot snapshot, PlacementSolver solver, PlanBuilder builder, long deadlineNanos) {
        this.snapshot = snapshot;
        this.solver = solver;
        this.builder = builder;
        this.deadlineNanos = deadlineNanos;
    }

    List<ChurnPoint> of(ClusterPlacement cheapest, RebalancePlan plan) {
        long saving = plan.savings().cost().microsPerHour();
        int disrupted =
                (int) plan.moves().stream().filter(m -> m.from() != null).count();
        int restarted = (int) plan.moves().stream()
                .filter(m -> m.from() != null && m.mobility() == Mobility.RESTART)
                .count();
        List<ChurnPoint> points = new ArrayList<>();
        if (disrupted == 0 || saving <= 0) {
            points.add(point("cheapest", plan, disrupted, restarted, saving));
            return points;
        }
        ClusterPlacement working = new ClusterPlacementCloner().cloneSolution(cheapest);
        for (PodPlacement p : working.getPlacements()) {
            if (p.getCurrentNode() != null) {
                p.setNode(p.getCurrentNode());
            }
        }
        relist(working);
        List<Step> steps = steps(working, Set.copyOf(plan.nodesRemoved()));

        List<Budget> budgets = new ArrayList<>();
        for (double share : SHARES) {
            budgets.add(new Budget(
                    Math.round(share * 100) + "% of the moves",
                    Math.max(1, (int) (share * disrupted)),
                    Integer.MAX_VALUE));
        }
        if (restarted > RESTARTS) {
            budgets.add(new Budget("at most " + RESTARTS + " restarts", Integer.MAX_VALUE, RESTARTS));
        }
        for (Budget budget : budgets) {
            int last = -1;
            for (int i = 0; i < steps.size(); i++) {
                if (budget.admits(steps.get(i))) {
                    last = i;
                }
            }
            if (last >= 0 && System.nanoTime() < deadlineNanos) {
                Map<String, String> target = new HashMap<>();
                steps.subList(0, last + 1).forEach(step -> target.putAll(step.targets()));
                ChurnPoint point = verified(budget.label(), cheapest, plan, target, saving);
                if (point != null) {
                    points.add(point);
                }
            }
        }
        points.add(point("cheapest", plan, disrupted, restarted, saving));
        return points;
    }

    /**
     * Empties the nodes in turn and answers, per node emptied, where the pods it moved went (pod id to node name) and
     * how many running pods are then away from their node, restarted among them.
     */
    private static List<Step> steps(ClusterPlacement working, Set<String> removed) {
        List<NodeSlot> sources = working.getNodes().stream()
                .filter(n -> removed.contains(n.getName()) && !n.getPods().isEmpty())
                .sorted(Comparator.comparingDouble(ChurnCurve::savedPerPod)
                        .reversed()
                        .thenComparing(NodeSlot::getName))
                .toList();
        List<Step> steps = new ArrayList<>();
        int disrupted = 0;
        int restarted = 0;
        for (NodeSlot source : sources) {
            Map<PodPlacement, NodeSlot> previous = Evacuation.evacuate(working, List.of(source));
            if (previous.isEmpty()) {
                continue;
            }
            Map<String, String> targets = new HashMap<>();
            for (Map.Entry<PodPlacement, NodeSlot> e : previous.entrySet()) {
                PodPlacement pod = e.getKey();
                targets.put(pod.getId(), pod.getNode().getName());
                int change = (pod.isMoved() ? 1 : 0) - (wasMoved(pod, e.getValue()) ? 1 : 0);
                disrupted += change;
                restarted += pod.getMobility() == Mobility.RESTART ? change : 0;
            }
            steps.add(new Step(targets, disrupted, restarted));
        }
        return steps;
    }

    private static boolean wasMoved(PodPlacement pod, NodeSlot before) {
        return pod.getCurrentNode() != null && before != pod.getCurrentNode();
    }

    private static double savedPerPod(NodeSlot node) {
        return (double) node.getPricePerHourMicros() / node.getPods().size();
    }

    /**
     * The plan with the running pods in {@code target} moved there and every other running pod left in place
     * (pending pods where the cheapest plan has them), if it keeps every rule.
     */
    private ChurnPoint verified(
            String label, ClusterPlacement cheapest, RebalancePlan plan, Map<String, String> target, long saving) {
        ClusterPlacement copy = new ClusterPlacementCloner().cloneSolution(cheapest);
        Map<String, NodeSlot> byName = new HashMap<>();
        copy.getNodes().forEach(n -> byName.put(n.getName(), n));
        for (PodPlacement p : copy.getPlacements()) {
            if (p.getCurrentNode() != null) {
                String to = target.get(p.getId());
                p.setNode(to == null ? p.getCurrentNode() : byName.get(to));
            }
        }
        relist(copy);
        solver.rescore(copy);
        if (!copy.getScore().isFeasible() || copy.getScore().mediumScore() < 0) {
            return null;
        }
        // only the point's cost and moves are read: it carries the cheapest plan's bound, whose program takes seconds
        PlanBuilder.Built built = builder.build(copy, 0, plan.lowerBound());
        if (!built.unordered().isEmpty()
                || !new PlanVerifier().verify(snapshot, built.plan()).isEmpty()) {
            return null;
        }
        RebalancePlan point = built.plan();
        int disrupted =
                (int) point.moves().stream().filter(m -> m.from() != null).count();
        int restarted = (int) point.moves().stream()
                .filter(m -> m.from() != null && m.mobility() == Mobility.RESTART)
                .count();
        return point(label, point, disrupted, restarted, saving);
    }

    /** Rebuilds every node's pod list from where the placements now are, as the moves expect. */
    private static void relist(ClusterPlacement placement) {
        placement.getNodes().forEach(n -> n.getPods().clear());
        for (PodPlacement p : placement.getPlacements()) {
            if (p.getNode() != null) {
                p.getNode().getPods().add(p);
            }
        }
    }

    private static ChurnPoint point(String label, RebalancePlan plan, int disrupted, int restarted, long saving) {
        long saved = plan.savings().cost().microsPerHour();
        double share = saving <= 0 ? 1 : Math.round(1000.0 * saved / saving) / 1000.0;
        return new ChurnPoint(
                label, disrupted, restarted, plan.costAfter(), plan.savings().percent(), share);
    }

    /** One node emptied: where its pods went, and the running pods away from their node so far. */
    private record Step(Map<String, String> targets, int disrupted, int restarted) {}

    /** At most {@code disruptions} running pods moved, of which at most {@code restarts} restarted. */
    private record Budget(String label, int disruptions, int restarts) {

        boolean admits(Step step) {
            return step.disrupted() <= disruptions && step.restarted() <= restarts;
        }
    }
}

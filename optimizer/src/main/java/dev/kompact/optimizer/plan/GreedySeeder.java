package dev.kompact.optimizer.plan;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.greedy.GreedyConsolidation;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.oracle.ClusterState;
import dev.kompact.optimizer.solver.PlacementSolver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Starts the search of a running cluster from where Karpenter's greedy consolidation ({@link GreedyConsolidation})
 * ends, when that scores better than the cluster as it runs: the search keeps the best placement from its start, so
 * no plan costs more than the greedy's. Each node the greedy buys becomes a candidate slot of its type, zone and
 * capacity type; when the problem has too few such slots, or a rule of the problem the greedy does not know (spot
 * risk, headroom) makes its end state worse, the placement stays as it was. A cluster with pending pods is left to
 * {@link PendingPodSeeder}: the greedy only moves running pods, and would remove the empty nodes that they need.
 */
final class GreedySeeder {

    private GreedySeeder() {}

    /** Answers whether the placement now starts from the greedy's end state. */
    static boolean seed(
            ClusterSnapshot snapshot, ClusterPlacement problem, PlacementSolver solver, BooleanSupplier stop) {
        if (snapshot.pods().stream().anyMatch(Pod::isPending)) {
            return false;
        }
        ClusterState greedy = new GreedyConsolidation().run(snapshot, stop);
        Map<String, NodeSlot> slots = slotsFor(greedy, problem);
        if (slots == null) {
            return false;
        }
        solver.rescore(problem);
        HardMediumSoftLongScore before = problem.getScore();
        Map<PodPlacement, NodeSlot> previous = new HashMap<>();
        for (PodPlacement placement : problem.getPlacements()) {
            previous.put(placement, placement.getNode());
            placement.setNode(slots.get(greedy.nodeOf(placement.getPod())));
        }
        solver.rescore(problem);
        if (problem.getScore().isFeasible() && problem.getScore().compareTo(before) > 0) {
            return true;
        }
        previous.forEach(PodPlacement::setNode);
        solver.rescore(problem);
        return false;
    }

    /** The slot for each of the greedy's nodes, or null when the problem has no free slot for a node it bought. */
    private static Map<String, NodeSlot> slotsFor(ClusterState greedy, ClusterPlacement problem) {
        Map<String, NodeSlot> existing = new HashMap<>();
        Map<Kind, Deque<NodeSlot>> candidates = new HashMap<>();
        for (NodeSlot slot : problem.getNodes()) {
            if (slot.isExisting()) {
                existing.put(slot.getName(), slot);
            } else {
                candidates
                        .computeIfAbsent(
                                new Kind(slot.getInstanceType(), slot.getZone(), slot.getCapacityType()),
                                k -> new ArrayDeque<>())
                        .add(slot);
            }
        }
        Map<String, NodeSlot> slots = new HashMap<>();
        for (Node node : greedy.nodes()) {
            NodeSlot slot = existing.get(node.name());
            if (slot == null) {
                Deque<NodeSlot> free = candidates.get(new Kind(node.instanceType(), node.zone(), node.capacityType()));
                if (free == null || free.isEmpty()) {
                    return null;
                }
                slot = free.poll();
            }
            slots.put(node.name(), slot);
        }
        return slots;
    }

    private record Kind(String instanceType, String zone, CapacityType capacityType) {}
}

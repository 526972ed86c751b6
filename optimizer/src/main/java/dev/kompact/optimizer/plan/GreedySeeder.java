package dev.kompact.optimizer.plan;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.greedy.GreedyConsolidation;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.oracle.ClusterState;
import dev.kompact.optimizer.solver.PlacementSolver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Starts the search of a running cluster from where Karpenter's greedy consolidation ({@link GreedyConsolidation})
 * ends, when it ends within its time and scores better than the cluster as it runs: the search keeps the best
 * placement from its start, so it never ends scoring worse than the greedy. The problem gets a slot for each node
 * the greedy buys ({@link #bought()}); when a rule of the problem the greedy does not know (spot risk, headroom)
 * makes its end state worse, the placement stays as it was. The greedy moves running pods only: pending ones run for it where {@link PendingPodSeeder} packs
 * them, as they start the search without it.
 */
final class GreedySeeder {

    private final ClusterState greedy;
    private final List<InstanceOffering> bought = new ArrayList<>();

    private GreedySeeder(ClusterSnapshot snapshot, ClusterState greedy) {
        this.greedy = greedy;
        Set<String> existing = new HashSet<>();
        snapshot.nodes().forEach(n -> existing.add(n.name()));
        for (Node node : greedy.nodes()) {
            if (!existing.contains(node.name())) {
                snapshot.offerings().stream()
                        .filter(o -> Kind.of(o).equals(Kind.of(node)))
                        .findFirst()
                        .ifPresent(bought::add);
            }
        }
    }

    /**
     * The greedy's end state; empty when {@code stop} cut it short: where it stopped, the search does better in the
     * same time (it is the greedy's end that no plan may cost more than). Pending pods run, for the greedy, where
     * {@code seeded} packs them ({@link PendingPodSeeder}); those it leaves out stay pending.
     */
    static Optional<GreedySeeder> consolidate(
            ClusterSnapshot snapshot, Function<ClusterSnapshot, ClusterPlacement> seeded, BooleanSupplier stop) {
        ClusterSnapshot running = snapshot;
        if (snapshot.pods().stream().anyMatch(Pod::isPending)) {
            Map<PodKey, String> placed = new HashMap<>();
            for (PodPlacement placement : seeded.apply(snapshot).getPlacements()) {
                if (placement.getPod().isPending() && placement.getNode() != null) {
                    placed.put(placement.getPod().key(), placement.getNode().getName());
                }
            }
            List<Pod> pods = snapshot.pods().stream()
                    .map(p -> placed.containsKey(p.key()) ? p.withNodeName(placed.get(p.key())) : p)
                    .toList();
            running = new ClusterSnapshot(
                    snapshot.name(), snapshot.nodes(), pods, snapshot.podDisruptionBudgets(), snapshot.offerings());
        }
        GreedyConsolidation.Consolidated greedy = new GreedyConsolidation().run(running, stop);
        return greedy.finished() ? Optional.of(new GreedySeeder(snapshot, greedy.after())) : Optional.empty();
    }

    /** The offerings of the nodes the greedy bought, one per node. */
    List<InstanceOffering> bought() {
        return List.copyOf(bought);
    }

    /** Answers whether the placement now starts from the greedy's end state. */
    boolean seed(ClusterPlacement problem, PlacementSolver solver) {
        Map<String, NodeSlot> slots = slotsFor(problem);
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
    private Map<String, NodeSlot> slotsFor(ClusterPlacement problem) {
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
                Deque<NodeSlot> free = candidates.get(Kind.of(node));
                if (free == null || free.isEmpty()) {
                    return null;
                }
                slot = free.poll();
            }
            slots.put(node.name(), slot);
        }
        return slots;
    }

    private record Kind(String instanceType, String zone, CapacityType capacityType) {

        static Kind of(Node node) {
            return new Kind(node.instanceType(), node.zone(), node.capacityType());
        }

        static Kind of(InstanceOffering offering) {
            return new Kind(offering.instanceType(), offering.zone(), offering.capacityType());
        }
    }
}

package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.bound.LowerBound;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the solved placement back as a {@link RebalancePlan}: the difference between the cluster now and after. */
final class PlanBuilder {

    private final ClusterSnapshot snapshot;
    private final DaemonSetOverhead overhead;

    private final PlanGate gate;
    private final int maxDisruptedNodes;

    PlanBuilder(ClusterSnapshot snapshot, DaemonSetOverhead overhead, PlanGate gate, int maxDisruptedNodes) {
        this.snapshot = snapshot;
        this.overhead = overhead;
        this.gate = gate;
        this.maxDisruptedNodes = maxDisruptedNodes;
    }

    /** The plan, and the moves no safe order admits (empty when the plan can be carried out as it is). */
    record Built(RebalancePlan plan, Map<PodMove, String> unordered) {}

    Built build(ClusterPlacement solution, long solveMillis) {
        return build(solution, solveMillis, null);
    }

    /**
     * With {@code knownBound} given (the bound of a plan placing the same pods), the plan carries it instead of
     * solving the bound's linear program again, which takes seconds on large clusters.
     */
    Built build(ClusterPlacement solution, long solveMillis, LowerBoundEstimate knownBound) {
        Map<String, ResourceList> requestsBefore = new HashMap<>();
        Map<String, ResourceList> requestsAfter = new HashMap<>();
        for (Pod pod : snapshot.pods()) {
            if (pod.nodeName() != null) {
                requestsBefore.merge(pod.nodeName(), pod.requests(), ResourceList::plus);
                if (pod.isNodeBound()) {
                    requestsAfter.merge(pod.nodeName(), pod.requests(), ResourceList::plus);
                }
            }
        }
        Set<NodeSlot> used = new LinkedHashSet<>();
        List<PodMove> moves = new ArrayList<>();
        List<PodKey> unplaced = new ArrayList<>();
        for (PodPlacement p : solution.getPlacements()) {
            if (p.getNode() == null) {
                unplaced.add(p.getPod().key());
                continue;
            }
            used.add(p.getNode());
            requestsAfter.merge(p.getNode().getName(), p.getPod().requests(), ResourceList::plus);
            if (p.isArriving()) {
                moves.add(new PodMove(
                        p.getPod().key(),
                        p.getCurrentNode() == null ? null : p.getCurrentNode().getName(),
                        p.getNode().getName(),
                        p.getMobility()));
            }
        }

        List<NodeChange> nodes = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<AddedNode> added = new ArrayList<>();
        Map<String, InstanceOffering> offeringOfAdded = new HashMap<>();
        long costBefore = 0;
        long costAfter = solution.costMicros();
        long[] totalsBefore = new long[4];
        long[] totalsAfter = new long[4];
        for (NodeSlot slot : solution.getNodes()) {
            if (slot.isExisting()) {
                Node node = slot.getNode();
                costBefore += node.pricePerHourMicros();
                Utilization before = utilization(requestsBefore.get(node.name()), node.allocatable(), totalsBefore);
                if (used.contains(slot) || slot.isKept()) {
                    Utilization after = utilization(requestsAfter.get(node.name()), node.allocatable(), totalsAfter);
                    nodes.add(change(slot, NodeChange.Status.KEPT, before, after));
                } else {
                    removed.add(node.name());
                    nodes.add(change(slot, NodeChange.Status.REMOVED, before, null));
                }
            } else if (used.contains(slot)) {
                ResourceList requests = overhead.on(slot.getLabels(), slot.getTaints())
                        .plus(requestsAfter.getOrDefault(slot.getName(), ResourceList.EMPTY));
                Utilization after = utilization(requests, slot.getOffering().allocatable(), totalsAfter);
                nodes.add(change(slot, NodeChange.Status.ADDED, null, after));
                added.add(new AddedNode(
                        slot.getName(),
                        slot.getInstanceType(),
                        slot.getZone(),
                        slot.getCapacityType(),
                        Money.dollars(slot.getPricePerHourMicros()),
                        List.of()));
                offeringOfAdded.put(slot.getName(), slot.getOffering());
            }
        }
        nodes.sort(Comparator.comparing(NodeChange::status).thenComparing(NodeChange::name));
        moves.sort(Comparator.comparing(PodMove::pod));
        long saved = costBefore - costAfter;
        int addedNodes = added.size();
        added.replaceAll(n -> n.withAlternatives(AcceptableOfferings.of(n, moves, saved, addedNodes, snapshot)));
        LowerBoundEstimate bound = knownBound != null
                ? knownBound.forPlanCost(costAfter)
                : LowerBound.of(solution, snapshot.offerings(), overhead, costAfter);
        WavePlanner.Result ordered =
                new WavePlanner(snapshot).order(added, moves, removed, offeringOfAdded, maxDisruptedNodes);
        RebalancePlan plan = RebalancePlan.builder(snapshot.name())
                .costs(Cost.ofMicros(costBefore), Cost.ofMicros(costAfter), RebalancePlan.Savings.of(saved, costBefore))
                .lowerBound(bound)
                .utilization(total(totalsBefore), total(totalsAfter))
                .nodesAdded(added)
                .nodesRemoved(removed)
                .moves(moves)
                .unplacedPods(unplaced)
                .waves(ordered.waves())
                .score(solution.getScore() == null ? "" : solution.getScore().toString())
                .solveMillis(solveMillis)
                .nodes(nodes)
                .build();
        int running = (int) solution.getPlacements().stream()
                .filter(p -> p.getCurrentNode() != null)
                .count();
        List<String> unordered = ordered.unordered().entrySet().stream()
                .map(e -> e.getKey().pod() + " to " + e.getKey().to() + " (" + e.getValue() + ")")
                .toList();
        return new Built(plan.withDecision(gate.judge(plan, running, unordered)), ordered.unordered());
    }

    private static NodeChange change(NodeSlot slot, NodeChange.Status status, Utilization before, Utilization after) {
        return new NodeChange(
                slot.getName(),
                slot.getInstanceType(),
                slot.getZone(),
                slot.getCapacityType().label(),
                Money.dollars(slot.getPricePerHourMicros()),
                status,
                before,
                after);
    }

    /** Also adds this node's figures to {@code totals}: cpu requested, cpu allocatable, memory requested, memory. */
    private static Utilization utilization(ResourceList requests, ResourceList allocatable, long[] totals) {
        ResourceList r = requests == null ? ResourceList.EMPTY : requests;
        long[] figures = {
            r.get(ResourceNames.CPU),
            allocatable.get(ResourceNames.CPU),
            r.get(ResourceNames.MEMORY),
            allocatable.get(ResourceNames.MEMORY)
        };
        for (int i = 0; i < figures.length; i++) {
            totals[i] += figures[i];
        }
        return Utilization.of(figures[0], figures[1], figures[2], figures[3]);
    }

    private static Utilization total(long[] totals) {
        return Utilization.of(totals[0], totals[1], totals[2], totals[3]);
    }
}

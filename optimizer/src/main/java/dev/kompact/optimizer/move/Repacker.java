package dev.kompact.optimizer.move;

import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.ResourceIndex;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Empties a group of nodes by packing their pods best-fit decreasing, as first-fit-decreasing and Karpenter's
 * multi-node consolidation do:
 * <ol>
 *   <li>every pod of the group, largest first, goes where it leaves the least room: on one of the given used nodes,
 *       or on a new node this repack already opened;</li>
 *   <li>when none admits it, the next empty slot opens, from the offering cheapest for the group's demand (price and
 *       spot premium per share of the demand it holds), the next offering when that one refuses the pod;</li>
 *   <li>the repack is worth trying only if the nodes it opens cost less than the nodes it empties.</li>
 * </ol>
 * Placement checks resources, selectors, taints and the per-node pod rules ({@link NodeLoads#admitsUnderPodRules});
 * the score judges the rest. A group that cannot be emptied gives {@link RandomMoveFactory#NOTHING}.
 */
final class Repacker {

    private static final Set<String> SIZED_BY = Set.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS);

    private final NodeLoads loads = new NodeLoads();

    ReassignPodsMove repack(List<NodeSlot> group, List<NodeSlot> usedTargets, List<NodeSlot> emptySlots) {
        List<PodPlacement> pods = new ArrayList<>();
        group.forEach(node -> pods.addAll(node.getPods()));
        if (pods.isEmpty() || !pods.stream().allMatch(NodeLoads::mayLeave)) {
            return RandomMoveFactory.NOTHING;
        }
        pods.sort(Comparator.comparingLong((PodPlacement p) -> p.getDemand()[0])
                .thenComparingLong(p -> p.getDemand()[1])
                .reversed()
                .thenComparing(PodPlacement::getId));
        Set<NodeSlot> sources = Set.copyOf(group);
        List<NodeSlot> bins = new ArrayList<>(
                usedTargets.stream().filter(n -> !sources.contains(n)).toList());
        List<List<NodeSlot>> offerings = byCostFor(pods, emptySlots);
        List<NodeSlot> targets = new ArrayList<>();
        long opened = 0;
        for (PodPlacement pod : pods) {
            NodeSlot target = bestFit(bins, pod);
            if (target == null) {
                target = open(offerings, pod);
                if (target == null) {
                    return RandomMoveFactory.NOTHING;
                }
                bins.add(target);
                opened += costOf(target);
            }
            loads.place(target, pod);
            targets.add(target);
        }
        long emptied = group.stream()
                .filter(n -> !n.isKept())
                .mapToLong(Repacker::costOf)
                .sum();
        return opened < emptied ? new ReassignPodsMove("repack", pods, targets) : RandomMoveFactory.NOTHING;
    }

    private NodeSlot bestFit(List<NodeSlot> bins, PodPlacement pod) {
        NodeSlot best = null;
        double bestSlack = Double.MAX_VALUE;
        for (NodeSlot bin : bins) {
            double slack = loads.slackWith(bin, pod);
            if (slack >= 0 && slack < bestSlack && loads.admitsUnderPodRules(bin, pod)) {
                best = bin;
                bestSlack = slack;
            }
        }
        return best;
    }

    /** The first empty slot that admits {@code pod}, offering by offering; taken out of its list once chosen. */
    private NodeSlot open(List<List<NodeSlot>> offerings, PodPlacement pod) {
        for (List<NodeSlot> slots : offerings) {
            if (!slots.isEmpty() && loads.admitsUnderPodRules(slots.get(0), pod)) {
                return slots.remove(0);
            }
        }
        return null;
    }

    /**
     * Empty slots grouped by offering, the offering that would hold {@code pods} most cheaply first, by their CPU,
     * memory, pod slots and accelerators: by CPU and memory alone, GPU pods would open single-GPU nodes, one per pod.
     * Other resources (ephemeral storage, the same on every size) would favour the smallest sizes.
     */
    private static List<List<NodeSlot>> byCostFor(List<PodPlacement> pods, List<NodeSlot> emptySlots) {
        if (emptySlots.isEmpty()) {
            return List.of();
        }
        ResourceIndex resources = emptySlots.get(0).getResources();
        long[] demand = new long[resources.size()];
        for (PodPlacement pod : pods) {
            for (int i = 0; i < demand.length; i++) {
                String name = resources.name(i);
                if (SIZED_BY.contains(name) || ResourceNames.isAccelerator(name)) {
                    demand[i] += pod.getDemand()[i];
                }
            }
        }
        Map<Object, List<NodeSlot>> byOffering = new LinkedHashMap<>();
        Map<Object, Double> cost = new HashMap<>();
        for (NodeSlot slot : emptySlots) {
            Object kind = kindOf(slot);
            byOffering.computeIfAbsent(kind, o -> new ArrayList<>()).add(slot);
            cost.computeIfAbsent(kind, o -> costOf(slot) * nodesFor(demand, slot.getCapacity()));
        }
        return byOffering.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> cost.get(e.getKey())))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Slots alike for opening: a candidate's offering, or an existing empty node's type, price and capacity. */
    private static Object kindOf(NodeSlot slot) {
        return slot.getOffering() != null
                ? slot.getOffering()
                : List.of(slot.getInstanceType(), slot.getPricePerHourMicros(), Arrays.toString(slot.getCapacity()));
    }

    /** Fractional nodes of this capacity that {@code demand} fills, by its scarcest resource. */
    private static double nodesFor(long[] demand, long[] capacity) {
        double nodes = 0;
        for (int i = 0; i < demand.length; i++) {
            if (demand[i] > 0) {
                nodes = Math.max(nodes, capacity[i] == 0 ? Double.MAX_VALUE : (double) demand[i] / capacity[i]);
            }
        }
        return nodes;
    }

    private static long costOf(NodeSlot node) {
        return node.getPricePerHourMicros() + node.getSpotRiskMicros();
    }
}

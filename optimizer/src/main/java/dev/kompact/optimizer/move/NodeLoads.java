package dev.kompact.optimizer.move;

import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.SpreadGroup;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What pods request on each node, read from the node's own pod list when first asked, plus what a move being built
 * would add: the scratch pad of one consolidation move.
 */
final class NodeLoads {

    private final Map<NodeSlot, long[]> load = new HashMap<>();
    private final Map<NodeSlot, List<PodPlacement>> arrivals = new HashMap<>();

    boolean isUsed(NodeSlot node) {
        return !node.getPods().isEmpty();
    }

    /** CPU left on a node: best fit fills the tightest node that still admits a pod. */
    long freeCpu(NodeSlot node) {
        return node.getCapacity()[0] - load(node)[0];
    }

    /** Share of CPU plus share of memory a node would have left with {@code pod} on it: best fit takes the least. */
    double slackWith(NodeSlot node, PodPlacement pod) {
        long[] used = load(node);
        long[] capacity = node.getCapacity();
        double slack = 0;
        for (int i = 0; i < 2; i++) {
            slack += capacity[i] == 0 ? 0 : (double) (capacity[i] - used[i] - pod.getDemand()[i]) / capacity[i];
        }
        return slack;
    }

    /** Whether {@code pod} may leave its node now: not held there, or already moved by the plan and not pinned. */
    static boolean mayLeave(PodPlacement pod) {
        return !pod.isPinned() && (pod.isMoved() || !pod.isHeld());
    }

    /**
     * {@link #admits} and the per-node pod rules as well: no required anti-affinity either way with the pods on the
     * node or already put there, hard spread over nodes within its skew, and no required affinity to a node's pods
     * (refused outright: whether the partner stays is not known here). Zone rules are left to the score: a repack
     * stays in its zone.
     */
    boolean admitsUnderPodRules(NodeSlot node, PodPlacement pod) {
        if (!admits(node, pod)
                || !pod.requiredAffinity(WellKnownLabels.HOSTNAME).isEmpty()) {
            return false;
        }
        List<PodPlacement> added = arrivals.getOrDefault(node, List.of());
        for (SpreadGroup group : pod.getSpreadGroups()) {
            if (!group.isZone()
                    && group.isHard()
                    && countOn(node.getPods(), group) + countOn(added, group) + 1 > group.getMaxSkew()) {
                return false;
            }
        }
        return !repelsAny(pod, node.getPods()) && !repelsAny(pod, added);
    }

    /** Puts {@code pod} on {@code node} in this scratch pad. */
    void place(NodeSlot node, PodPlacement pod) {
        add(node, pod.getDemand());
        arrivals.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
    }

    private static int countOn(List<PodPlacement> pods, SpreadGroup group) {
        int count = 0;
        for (PodPlacement p : pods) {
            if (group.counts(p.getPod())) {
                count++;
            }
        }
        return count;
    }

    private static boolean repelsAny(PodPlacement pod, List<PodPlacement> others) {
        boolean picky = pod.hasAntiAffinity(WellKnownLabels.HOSTNAME);
        for (PodPlacement other : others) {
            if (other != pod
                    && (picky && pod.repels(WellKnownLabels.HOSTNAME, other)
                            || other.hasAntiAffinity(WellKnownLabels.HOSTNAME)
                                    && other.repels(WellKnownLabels.HOSTNAME, pod))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code pod} may arrive on {@code node} with what is on it now: resources, selectors, taints. */
    boolean admits(NodeSlot node, PodPlacement pod) {
        if (node.isUnschedulable()
                || !pod.getPod().acceptsNodeLabels(node.getLabels())
                || !pod.getPod().toleratesAll(node.getTaints())) {
            return false;
        }
        long[] used = load(node);
        long[] demand = pod.getDemand();
        long[] capacity = node.getCapacity();
        for (int i = 0; i < demand.length; i++) {
            if (used[i] + demand[i] > capacity[i]) {
                return false;
            }
        }
        return true;
    }

    void add(NodeSlot node, long[] demand) {
        long[] total = load(node);
        for (int i = 0; i < demand.length; i++) {
            total[i] += demand[i];
        }
    }

    /** Forgets what a trial packing put on a node. */
    void forget(NodeSlot node) {
        load.remove(node);
        arrivals.remove(node);
    }

    private long[] load(NodeSlot node) {
        return load.computeIfAbsent(node, n -> {
            long[] total = new long[n.getCapacity().length];
            for (PodPlacement p : n.getPods()) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += p.getDemand()[i];
                }
            }
            return total;
        });
    }
}

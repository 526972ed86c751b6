package dev.kompact.optimizer.solver;

import java.util.HashMap;
import java.util.Map;

/**
 * What pods request on each node, read from the node's own pod list when first asked, plus what a move being built
 * would add: the scratch pad of one consolidation move.
 */
final class NodeLoads {

    private final Map<NodeSlot, long[]> load = new HashMap<>();

    boolean isUsed(NodeSlot node) {
        return !node.getPods().isEmpty();
    }

    /** CPU left on a node: best fit fills the tightest node that still admits a pod. */
    long freeCpu(NodeSlot node) {
        return node.getCapacity()[0] - load(node)[0];
    }

    /** Whether {@code pod} may arrive on {@code node} with what is on it now: resources, selectors, taints. */
    boolean admits(NodeSlot node, PodPlacement pod) {
        if (node.isUnschedulable() || !pod.getPod().acceptsNodeLabels(node.getLabels())
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

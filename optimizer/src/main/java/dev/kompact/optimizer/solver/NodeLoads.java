package dev.kompact.optimizer.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The working solution seen per node: which pods each holds and what they request in all. */
final class NodeLoads {

    private final Map<NodeSlot, List<PodPlacement>> pods = new HashMap<>();
    private final Map<NodeSlot, long[]> load = new HashMap<>();

    NodeLoads(ClusterPlacement solution) {
        for (PodPlacement p : solution.getPlacements()) {
            if (p.getNode() != null) {
                pods.computeIfAbsent(p.getNode(), n -> new ArrayList<>()).add(p);
                add(p.getNode(), p.getDemand());
            }
        }
    }

    List<NodeSlot> usedNodes() {
        return new ArrayList<>(pods.keySet());
    }

    List<PodPlacement> podsOn(NodeSlot node) {
        return pods.getOrDefault(node, List.of());
    }

    boolean isUsed(NodeSlot node) {
        return pods.containsKey(node);
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
        long[] total = load.computeIfAbsent(node, n -> new long[demand.length]);
        for (int i = 0; i < demand.length; i++) {
            total[i] += demand[i];
        }
    }

    /** Forgets what a trial packing put on a node that holds no pod in the working solution. */
    void emptyUnused(NodeSlot node) {
        if (!isUsed(node)) {
            load.remove(node);
        }
    }

    private long[] load(NodeSlot node) {
        return load.computeIfAbsent(node, n -> new long[n.getCapacity().length]);
    }
}

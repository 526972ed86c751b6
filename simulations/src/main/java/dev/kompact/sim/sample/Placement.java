package dev.kompact.sim.sample;

import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Binds pods to nodes as the default scheduler would. Filter: free resources (a pod also takes one of the node's pod
 * slots), taints, node selector and required affinity, cordon. Score: least allocated, less a penalty per replica of
 * the same workload already there, which stands in for the scheduler's default topology spreading; a little noise
 * keeps equally good nodes from filling in name order.
 */
final class Placement {

    private static final double SIBLING_PENALTY = 0.15;
    private static final double NOISE = 0.05;

    private final List<Node> nodes;
    private final Random random;
    private final Map<String, ResourceList> free = new HashMap<>();
    private final Map<String, Map<String, Integer>> replicasOnNode = new HashMap<>();

    Placement(List<Node> nodes, Random random) {
        this.nodes = nodes;
        this.random = random;
        nodes.forEach(node -> free.put(node.name(), node.allocatable()));
    }

    /** A DaemonSet pod goes to the node it was made for, cordoned or not: the DaemonSet controller ignores cordons. */
    void bind(Pod pod, Node node) {
        if (!fits(pod, node)) {
            throw new IllegalStateException(pod.key() + " does not fit on " + node.name());
        }
        take(pod, node, pod.key().toString());
    }

    /** The node the scheduler would choose for a replica of {@code workload}; fails when no node can take it. */
    Node place(Pod pod, String workload) {
        Node best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Node node : nodes) {
            double noise = NOISE * random.nextDouble();
            if (node.unschedulable()
                    || !fits(pod, node)
                    || !pod.toleratesAll(node.taints())
                    || !pod.acceptsNodeLabels(node.labels())) {
                continue;
            }
            double score = leastAllocated(pod, node)
                    - SIBLING_PENALTY
                            * replicasOnNode.getOrDefault(node.name(), Map.of()).getOrDefault(workload, 0)
                    + noise;
            if (score > bestScore) {
                best = node;
                bestScore = score;
            }
        }
        if (best == null) {
            throw new IllegalStateException(
                    "no node can take " + pod.key() + " " + pod.requests().amounts());
        }
        take(pod, best, workload);
        return best;
    }

    private boolean fits(Pod pod, Node node) {
        ResourceList left = free.get(node.name()).minus(demand(pod));
        return left.amounts().values().stream().allMatch(amount -> amount >= 0);
    }

    /** The mean share of cpu and memory the node would have left: the scheduler's LeastAllocated score. */
    private double leastAllocated(Pod pod, Node node) {
        ResourceList left = free.get(node.name()).minus(demand(pod));
        return (share(left, node, ResourceNames.CPU) + share(left, node, ResourceNames.MEMORY)) / 2;
    }

    private static double share(ResourceList left, Node node, String resource) {
        return (double) left.get(resource) / node.allocatable().get(resource);
    }

    private void take(Pod pod, Node node, String workload) {
        free.put(node.name(), free.get(node.name()).minus(demand(pod)));
        replicasOnNode.computeIfAbsent(node.name(), n -> new HashMap<>()).merge(workload, 1, Integer::sum);
    }

    private static ResourceList demand(Pod pod) {
        return pod.requests().with(ResourceNames.PODS, 1);
    }
}

package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;

/**
 * How the simulated scheduler ranks the nodes that pass its filters: kube-scheduler's {@code NodeResourcesFit}
 * strategies, over CPU and memory with equal weights. Ties go to the node added first.
 */
public enum ScoringPolicy {
    /** kube-scheduler's default: spread load, the node with the most room left after the pod wins. */
    LEAST_ALLOCATED,
    /** Bin packing, as clusters run beside Karpenter are often configured: the fullest node that fits wins. */
    MOST_ALLOCATED;

    double score(Node node, ResourceList requested, Pod pod) {
        double free = (freeShare(node, requested, pod, ResourceNames.CPU)
                        + freeShare(node, requested, pod, ResourceNames.MEMORY))
                / 2;
        return this == LEAST_ALLOCATED ? free : 1 - free;
    }

    private static double freeShare(Node node, ResourceList requested, Pod pod, String resource) {
        long allocatable = node.allocatable().get(resource);
        if (allocatable == 0) {
            return 0;
        }
        return (double) (allocatable - requested.get(resource) - pod.requests().get(resource)) / allocatable;
    }
}

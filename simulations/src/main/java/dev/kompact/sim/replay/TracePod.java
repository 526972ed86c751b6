package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.List;
import java.util.Map;

/**
 * A pod of a trace: what it requests, when it is created and deleted (seconds from the trace's start), and the
 * controller it belongs to. {@code hostnameSpread} asks for at most one more pod of its group on any node than on
 * the emptiest (a hard topology spread over {@code kubernetes.io/hostname}).
 */
public record TracePod(
        String name,
        String group,
        long cpuMillis,
        long memoryBytes,
        int gpus,
        long createdSeconds,
        long deletedSeconds,
        boolean hostnameSpread) {

    private static final String GROUP_LABEL = "app";

    public TracePod {
        if (deletedSeconds < createdSeconds) {
            throw new IllegalArgumentException("pod " + name + " is deleted at " + deletedSeconds
                    + " s, before it is created at " + createdSeconds + " s");
        }
    }

    /**
     * The pod as the scheduler and the planner see it, pending. A namespace per controller: what the executor lists
     * per namespace is then one workload's pods.
     */
    Pod model(Map<String, String> annotations) {
        Map<String, String> labels = Map.of(GROUP_LABEL, group);
        ResourceList requests = ResourceList.of(
                Map.of(ResourceNames.CPU, cpuMillis, ResourceNames.MEMORY, memoryBytes, ResourceNames.NVIDIA_GPU, (long)
                        gpus));
        AffinityRules affinity = hostnameSpread
                ? new AffinityRules(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(new TopologySpreadConstraint(
                                1, WellKnownLabels.HOSTNAME, true, new LabelSelector(labels, List.of()))))
                : AffinityRules.NONE;
        return new Pod(
                group,
                name,
                null,
                new Owner("ReplicaSet", group),
                requests,
                ResourceList.EMPTY,
                0,
                labels,
                annotations,
                Map.of(),
                List.of(),
                List.of(),
                affinity,
                List.of(),
                null);
    }
}

package dev.kompact.executor.migration;

import dev.kompact.agent.net.Eni;
import java.util.List;
import java.util.Optional;

/**
 * One pod's migration: every container of {@code source} (on {@code sourceNode}) into {@code target}, the pod the
 * executor created on {@code targetNode} for it.
 *
 * @param containers the source pod's containers in the pod spec's order, with their runtime ids
 * @param targetEni where the cloud routes pod addresses: the target node's network interface the pod's address was
 *     moved to, which the target's agent routes it by
 */
public record PodMigration(
        String migrationId,
        String sourceNode,
        String targetNode,
        PodRef source,
        PodRef target,
        List<Container> containers,
        Optional<Eni> targetEni) {

    public record PodRef(String namespace, String name, String uid) {}

    /** @param runtimeId the container runtime's id, without the {@code containerd://} prefix */
    public record Container(String name, String runtimeId) {}

    public PodMigration {
        if (containers.isEmpty()) {
            throw new IllegalArgumentException(
                    "pod " + source.namespace() + "/" + source.name() + " reports no running container to migrate");
        }
        containers = List.copyOf(containers);
    }
}

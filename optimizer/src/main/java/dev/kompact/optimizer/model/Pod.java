package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Map;

/**
 * A pod as the scheduler sees it. {@code nodeName} is null for a pending pod; {@code owner} is null for a bare pod.
 * {@code requiredNodeAffinity} holds the terms of {@code requiredDuringSchedulingIgnoredDuringExecution} (any may hold).
 * {@code volumeZone} is the zone its zonal persistent volumes live in, or null.
 */
public record Pod(
        String namespace,
        String name,
        String nodeName,
        Owner owner,
        ResourceList requests,
        ResourceList usage,
        int priority,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, String> nodeSelector,
        List<NodeSelectorTerm> requiredNodeAffinity,
        List<Toleration> tolerations,
        AffinityRules affinity,
        List<Volume> volumes,
        String volumeZone) {

    public Pod {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        nodeSelector = Map.copyOf(nodeSelector);
        requiredNodeAffinity = List.copyOf(requiredNodeAffinity);
        tolerations = List.copyOf(tolerations);
        volumes = List.copyOf(volumes);
    }

    /** A pod with no rules about other pods, no volumes and no volume zone. */
    public Pod(
            String namespace,
            String name,
            String nodeName,
            Owner owner,
            ResourceList requests,
            ResourceList usage,
            int priority,
            Map<String, String> labels,
            Map<String, String> annotations,
            Map<String, String> nodeSelector,
            List<NodeSelectorTerm> requiredNodeAffinity,
            List<Toleration> tolerations) {
        this(
                namespace,
                name,
                nodeName,
                owner,
                requests,
                usage,
                priority,
                labels,
                annotations,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                AffinityRules.NONE,
                List.of(),
                null);
    }

    public Pod withNodeName(String node) {
        return new Pod(
                namespace,
                name,
                node,
                owner,
                requests,
                usage,
                priority,
                labels,
                annotations,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                affinity,
                volumes,
                volumeZone);
    }

    public PodKey key() {
        return new PodKey(namespace, name);
    }

    public boolean isPending() {
        return nodeName == null;
    }

    /** DaemonSet and mirror pods live and die with their node: they are node overhead, not workload to place. */
    public boolean isNodeBound() {
        return owner != null && (owner.isDaemonSet() || owner.isNode());
    }

    /** Whether the pod's node selector and required node affinity accept a node with these labels. */
    public boolean acceptsNodeLabels(Map<String, String> nodeLabels) {
        for (Map.Entry<String, String> required : nodeSelector.entrySet()) {
            if (!required.getValue().equals(nodeLabels.get(required.getKey()))) {
                return false;
            }
        }
        return requiredNodeAffinity.isEmpty() || requiredNodeAffinity.stream().anyMatch(t -> t.matches(nodeLabels));
    }

    /** Whether every taint that repels scheduling is tolerated. */
    public boolean toleratesAll(List<Taint> taints) {
        for (Taint taint : taints) {
            if (taint.effect().repels() && tolerations.stream().noneMatch(t -> t.tolerates(taint))) {
                return false;
            }
        }
        return true;
    }
}

package dev.kompact.optimizer.testing;

import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.ResourceIndex;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.Toleration;
import java.util.List;
import java.util.Map;

/** Small builders for nodes, slots and placements: cpu in millicores, memory in MiB, money in micro-dollars. */
public final class Fixtures {

    public static final ResourceIndex RESOURCES = new ResourceIndex(List.of("cpu", "memory", "pods", "nvidia.com/gpu"));

    private Fixtures() {}

    public static ResourceList resources(long cpuMillis, long memoryMib) {
        return ResourceList.of(Map.of("cpu", cpuMillis, "memory", memoryMib << 20));
    }

    public static Node node(
            String name,
            long cpuMillis,
            long memoryMib,
            long priceMicros,
            Map<String, String> labels,
            List<Taint> taints,
            boolean unschedulable) {
        return NodeBuilder.node(name)
                .instanceType("m5.xlarge")
                .priceMicros(priceMicros)
                .labels(labels)
                .taints(taints)
                .allocatable(resources(cpuMillis, memoryMib).with("pods", 110))
                .unschedulable(unschedulable)
                .build();
    }

    public static NodeSlot slot(Node node) {
        return NodeSlot.existing(node, RESOURCES.vector(node.allocatable()), RESOURCES);
    }

    public static NodeSlot slot(String name, long cpuMillis, long memoryMib, long priceMicros) {
        return slot(node(name, cpuMillis, memoryMib, priceMicros, Map.of(), List.of(), false));
    }

    public static NodeSlot candidate(String name, long cpuMillis, long memoryMib, long priceMicros) {
        InstanceOffering offering = new InstanceOffering(
                "m5.large",
                "us-east-1a",
                CapacityType.SPOT,
                priceMicros,
                resources(cpuMillis, memoryMib).with("pods", 29),
                Map.of());
        return NodeSlot.candidate(name, offering, Map.of(), RESOURCES.vector(offering.allocatable()), RESOURCES);
    }

    public static Pod pod(String name, long cpuMillis, long memoryMib) {
        return pod(name, resources(cpuMillis, memoryMib), Map.of(), List.of(), List.of());
    }

    public static Pod pod(
            String name,
            ResourceList requests,
            Map<String, String> nodeSelector,
            List<NodeSelectorTerm> affinity,
            List<Toleration> tolerations) {
        return PodBuilder.pod(name)
                .owner("ReplicaSet", "app-1")
                .requests(requests)
                .nodeSelector(nodeSelector)
                .requiredNodeAffinity(affinity)
                .tolerations(tolerations)
                .build();
    }

    /** A pod that runs on {@code current} and that the plan puts on {@code target}. */
    public static PodPlacement placement(Pod pod, NodeSlot current, NodeSlot target) {
        PodPlacement placement = new PodPlacement(pod, RESOURCES.demand(pod.requests()), current, Mobility.RESTART);
        placement.setNode(target);
        return placement;
    }
}

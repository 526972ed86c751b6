package dev.kompact.sim.baseline;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Small hand-made clusters in one zone: nodes and offerings by CPU (millicores), memory (GiB) and $/hour. */
final class TestClusters {

    static final String ZONE = "us-east-1a";

    private TestClusters() {}

    static ClusterSnapshot cluster(List<Node> nodes, List<Pod> pods, List<InstanceOffering> offerings) {
        return new ClusterSnapshot("test", nodes, pods, List.of(), offerings);
    }

    static Node node(String name, CapacityType capacity, double dollarsPerHour, long cpu, long memoryGib) {
        Map<String, String> labels = labels("type-" + name, capacity);
        labels.put(WellKnownLabels.HOSTNAME, name);
        return NodeBuilder.node(name)
                .instanceType("type-" + name)
                .zone(ZONE)
                .capacityType(capacity)
                .priceMicros(Money.micros(dollarsPerHour))
                .labels(labels)
                .allocatable(allocatable(cpu, memoryGib))
                .build();
    }

    static Node onDemand(String name, double dollarsPerHour, long cpu, long memoryGib) {
        return node(name, CapacityType.ON_DEMAND, dollarsPerHour, cpu, memoryGib);
    }

    static InstanceOffering offering(
            String type, CapacityType capacity, double dollarsPerHour, long cpu, long memoryGib) {
        return new InstanceOffering(
                type,
                ZONE,
                capacity,
                Money.micros(dollarsPerHour),
                allocatable(cpu, memoryGib),
                labels(type, capacity));
    }

    /** A ReplicaSet's pod, free to move. */
    static Pod pod(String name, String node, long cpu, long memoryGib) {
        return PodBuilder.pod(name)
                .on(node)
                .requests(requests(cpu, memoryGib))
                .labels(Map.of("app", name))
                .build();
    }

    /** A pod without a controller: nothing would recreate it, so it is pinned. */
    static Pod bare(String name, String node, long cpu, long memoryGib) {
        return PodBuilder.pod(name)
                .on(node)
                .bare()
                .requests(requests(cpu, memoryGib))
                .labels(Map.of("app", name))
                .build();
    }

    /** A ReplicaSet's pod that only goes to nodes labelled {@code key=value}. */
    static Pod selecting(String name, String node, long cpu, long memoryGib, String key, String value) {
        return PodBuilder.pod(name)
                .on(node)
                .requests(requests(cpu, memoryGib))
                .labels(Map.of("app", name))
                .nodeSelector(Map.of(key, value))
                .build();
    }

    static Node labelled(Node node, String key, String value) {
        Map<String, String> labels = new TreeMap<>(node.labels());
        labels.put(key, value);
        return NodeBuilder.from(node).labels(labels).build();
    }

    /** A replica of {@code app} that refuses to share a node with another replica. */
    static Pod onePerNode(String name, String app, String node, long cpu, long memoryGib) {
        PodAffinityTerm term = new PodAffinityTerm(
                new LabelSelector(Map.of("app", app), List.of()), Set.of(), false, WellKnownLabels.HOSTNAME);
        AffinityRules rules = new AffinityRules(List.of(), List.of(), List.of(term), List.of(), List.of(), List.of());
        return PodBuilder.pod(name)
                .on(node)
                .owner("ReplicaSet", app)
                .requests(requests(cpu, memoryGib))
                .labels(Map.of("app", app))
                .affinity(rules)
                .build();
    }

    private static Map<String, String> labels(String type, CapacityType capacity) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(WellKnownLabels.INSTANCE_TYPE, type);
        labels.put(WellKnownLabels.ZONE, ZONE);
        labels.put(WellKnownLabels.CAPACITY_TYPE, capacity.label());
        return labels;
    }

    private static ResourceList allocatable(long cpu, long memoryGib) {
        return ResourceList.of(
                Map.of(ResourceNames.CPU, cpu, ResourceNames.MEMORY, memoryGib << 30, ResourceNames.PODS, 110L));
    }

    private static ResourceList requests(long cpu, long memoryGib) {
        return ResourceList.of(Map.of(ResourceNames.CPU, cpu, ResourceNames.MEMORY, memoryGib << 30));
    }
}

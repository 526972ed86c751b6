package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.domain.CandidateOffering;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.ResourceIndex;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the planning problem from a snapshot: DaemonSet and mirror pods become overhead on their node (they come and
 * go with it), every other pod becomes a placement, and the chosen offerings become candidate node slots.
 */
public final class ClusterPlacementFactory {

    /** Share of a workload's replicas one spot pool may hold before concentration counts as risk. */
    static final double MAX_SHARE_PER_SPOT_POOL = 0.5;

    /** The gate's default bar: a plan's share of the bill saved at least half its share of pods moved. */
    static final double DEFAULT_SAVINGS_PER_DISRUPTION = 0.5;

    private final InstanceCatalog catalog;
    private final double savingsPerDisruption;

    public ClusterPlacementFactory(InstanceCatalog catalog) {
        this(catalog, DEFAULT_SAVINGS_PER_DISRUPTION);
    }

    public ClusterPlacementFactory(InstanceCatalog catalog, double savingsPerDisruption) {
        this.catalog = catalog;
        this.savingsPerDisruption = savingsPerDisruption;
    }

    public ClusterPlacement build(ClusterSnapshot snapshot) {
        return build(snapshot, List.of());
    }

    /**
     * The problem with, besides the chosen offerings' slots, at least one slot for each of {@code bought} (an
     * offering listed twice gets two): the nodes a known placement to start from has bought.
     */
    public ClusterPlacement build(ClusterSnapshot snapshot, List<InstanceOffering> bought) {
        List<Pod> placeable =
                snapshot.pods().stream().filter(p -> !p.isNodeBound()).toList();
        ResourceIndex resources = resourceIndex(placeable);
        DaemonSetOverhead overhead = DaemonSetOverhead.of(snapshot.pods());

        Map<String, ResourceList> nodeBoundLoad = new HashMap<>();
        for (Pod pod : snapshot.pods()) {
            if (pod.isNodeBound() && pod.nodeName() != null) {
                nodeBoundLoad.merge(pod.nodeName(), pod.requests().with(ResourceNames.PODS, 1), ResourceList::plus);
            }
        }
        List<NodeSlot> slots = new ArrayList<>();
        Map<String, NodeSlot> existing = new LinkedHashMap<>();
        Map<String, Node> nodesByName = new HashMap<>();
        for (Node node : snapshot.nodes()) {
            ResourceList capacity =
                    node.allocatable().minus(nodeBoundLoad.getOrDefault(node.name(), ResourceList.EMPTY));
            NodeSlot slot = NodeSlot.existing(node, resources.vector(capacity), resources);
            slot.setKept(MobilityRules.isKept(node));
            slot.setSpotRiskMicros(spotRisk(node.instanceType(), node.capacityType(), node.pricePerHourMicros()));
            slots.add(slot);
            existing.put(node.name(), slot);
            nodesByName.put(node.name(), node);
        }

        List<PodPlacement> placements = new ArrayList<>();
        List<Pod> movable = new ArrayList<>();
        for (Pod pod : placeable) {
            Node node = pod.nodeName() == null ? null : nodesByName.get(pod.nodeName());
            Mobility mobility = MobilityRules.classify(pod, node);
            placements.add(new PodPlacement(
                    pod, resources.demand(pod.requests()), node == null ? null : existing.get(node.name()), mobility));
            if (mobility != Mobility.PINNED || node == null) {
                movable.add(pod);
            }
        }

        Map<InstanceOffering, Integer> slotsPerOffering = new LinkedHashMap<>();
        for (CandidateOffering candidate : new CandidateSelector(overhead).select(snapshot.offerings(), movable)) {
            slotsPerOffering.merge(candidate.offering(), candidate.slots(), Integer::sum);
        }
        Map<InstanceOffering, Integer> boughtPerOffering = new LinkedHashMap<>();
        bought.forEach(o -> boughtPerOffering.merge(o, 1, Integer::sum));
        boughtPerOffering.forEach((o, count) -> slotsPerOffering.merge(o, count, Math::max));
        for (Map.Entry<InstanceOffering, Integer> candidate : slotsPerOffering.entrySet()) {
            var offering = candidate.getKey();
            for (int i = 1; i <= candidate.getValue(); i++) {
                String name = "new-" + offering.instanceType() + "-" + offering.zone() + "-"
                        + offering.capacityType().label() + "-" + i;
                Map<String, String> labels = new TreeMap<>(offering.labels());
                labels.put(WellKnownLabels.HOSTNAME, name);
                ResourceList capacity = offering.allocatable().minus(overhead.on(labels, List.of()));
                NodeSlot slot = NodeSlot.candidate(name, offering, labels, resources.vector(capacity), resources);
                slot.setSpotRiskMicros(
                        spotRisk(offering.instanceType(), offering.capacityType(), offering.pricePerHourMicros()));
                slots.add(slot);
            }
        }
        new PlacementRulesBuilder(snapshot, slots, placements, savingsPerDisruption).apply();
        return new ClusterPlacement(resources, slots, placements);
    }

    private long spotRisk(String instanceType, CapacityType capacityType, long price) {
        if (capacityType != CapacityType.SPOT) {
            return 0;
        }
        String frequency = instanceType == null
                ? null
                : catalog.type(instanceType)
                        .map(InstanceType::interruptionFrequency)
                        .orElse(null);
        return SpotRisk.premiumMicros(price, frequency);
    }

    private static ResourceIndex resourceIndex(List<Pod> pods) {
        TreeSet<String> others = new TreeSet<>();
        pods.forEach(p -> others.addAll(p.requests().amounts().keySet()));
        List<String> names = new ArrayList<>(List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS));
        others.removeAll(names);
        names.addAll(others);
        return new ResourceIndex(names);
    }
}

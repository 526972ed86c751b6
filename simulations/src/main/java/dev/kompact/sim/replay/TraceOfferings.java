package dev.kompact.sim.replay;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The EC2 offerings a simulated cluster may buy, and the mapping of a trace's nodes onto them. Every simulated node
 * is on-demand in one zone of the bundled us-east-1 catalogue, from general-purpose, compute, memory and GPU families
 * of one generation ({@link #FAMILIES}), so that no policy wins by a pricing or spot choice the trace cannot judge.
 * A trace node maps to the cheapest of them with at least its vCPUs, memory and GPUs (capacity, not allocatable, as
 * the trace lists capacity); when none is that large, to the one with the most GPUs, then vCPUs.
 */
public final class TraceOfferings {

    public static final String ZONE = "us-east-1a";
    static final List<String> FAMILIES = List.of("m5", "c5", "r5", "g4dn", "g5", "p3");

    private final InstanceCatalog catalog;
    private final List<InstanceOffering> offerings;

    public TraceOfferings() {
        this.catalog = InstanceCatalog.bundled();
        this.offerings = catalog.offerings(List.of(ZONE)).stream()
                .filter(o -> o.capacityType() == CapacityType.ON_DEMAND)
                .filter(o -> catalog.type(o.instanceType())
                        .map(t -> FAMILIES.contains(t.family()))
                        .orElse(false))
                .filter(o ->
                        !o.instanceType().endsWith(".metal") || o.instanceType().startsWith("g4dn"))
                .sorted(Comparator.comparingLong(InstanceOffering::pricePerHourMicros)
                        .thenComparing(InstanceOffering::instanceType))
                .toList();
    }

    public List<InstanceOffering> all() {
        return offerings;
    }

    public InstanceOffering forNode(TraceNode node) {
        Optional<InstanceOffering> covering =
                offerings.stream().filter(o -> covers(o, node)).findFirst();
        return covering.orElseGet(() -> offerings.stream()
                .max(Comparator.comparingLong(
                                (InstanceOffering o) -> o.allocatable().get(ResourceNames.NVIDIA_GPU))
                        .thenComparingInt(o -> type(o).vcpu())
                        .thenComparing(Comparator.comparingLong(InstanceOffering::pricePerHourMicros)
                                .reversed()))
                .orElseThrow());
    }

    /** The distinct offerings the trace's nodes map to, cheapest first: Cluster Autoscaler's node groups. */
    public List<InstanceOffering> nodeGroups(Trace trace) {
        if (trace.nodes().isEmpty()) {
            return offerings;
        }
        Set<InstanceOffering> groups = new LinkedHashSet<>();
        trace.nodes().forEach(n -> groups.add(forNode(n)));
        return groups.stream()
                .sorted(Comparator.comparingLong(InstanceOffering::pricePerHourMicros))
                .toList();
    }

    /** The offering as a node running the Kompact agent, which live migration needs, is labelled. */
    static InstanceOffering withAgent(InstanceOffering offering) {
        Map<String, String> labels = new TreeMap<>(offering.labels());
        labels.put(WellKnownLabels.KOMPACT_AGENT, "true");
        return new InstanceOffering(
                offering.instanceType(),
                offering.zone(),
                offering.capacityType(),
                offering.pricePerHourMicros(),
                offering.allocatable(),
                labels);
    }

    private boolean covers(InstanceOffering offering, TraceNode node) {
        InstanceType type = type(offering);
        return type.vcpu() * 1000L >= node.cpuMillis()
                && type.memoryMib() >= node.memoryMib()
                && offering.allocatable().get(ResourceNames.NVIDIA_GPU) >= node.gpus();
    }

    private InstanceType type(InstanceOffering offering) {
        return catalog.type(offering.instanceType()).orElseThrow();
    }
}

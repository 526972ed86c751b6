package dev.kompact.optimizer.domain;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.InverseRelationShadowVariable;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A place pods can go: an existing node, or a slot for a node the plan may buy from an offering. {@code capacity} is
 * what remains for placeable pods once the node's DaemonSet and mirror pods are counted. Timefold keeps
 * {@code pods}, the placements on it, so that moves can read a node's load without scanning every pod.
 */
@PlanningEntity
public class NodeSlot {

    @PlanningId
    private String name;

    private Node node;
    private InstanceOffering offering;
    private Map<String, String> labels;
    private List<Taint> taints;
    private long[] capacity;
    private ResourceIndex resources;
    private long pricePerHourMicros;
    private boolean unschedulable;
    private boolean kept;
    private long spotRiskMicros;
    private String spotPool;
    /** What the headroom policy keeps free of requests, per resource; all zero without one. */
    private long[] reserve;

    private boolean headroomHard;
    private boolean headroomClusterWide;

    @InverseRelationShadowVariable(sourceVariableName = "node")
    private List<PodPlacement> pods = new ArrayList<>();

    NodeSlot() {}

    /** A copy without its pods, for {@link ClusterPlacementCloner}. */
    NodeSlot(NodeSlot other) {
        this(
                other.name,
                other.node,
                other.offering,
                other.labels,
                other.taints,
                other.capacity,
                other.resources,
                other.pricePerHourMicros,
                other.unschedulable);
        this.kept = other.kept;
        this.spotRiskMicros = other.spotRiskMicros;
        this.reserve = other.reserve;
        this.headroomHard = other.headroomHard;
        this.headroomClusterWide = other.headroomClusterWide;
    }

    private NodeSlot(
            String name,
            Node node,
            InstanceOffering offering,
            Map<String, String> labels,
            List<Taint> taints,
            long[] capacity,
            ResourceIndex resources,
            long pricePerHourMicros,
            boolean unschedulable) {
        this.name = name;
        this.node = node;
        this.offering = offering;
        this.labels = labels;
        this.taints = taints;
        this.capacity = capacity;
        this.resources = resources;
        this.pricePerHourMicros = pricePerHourMicros;
        this.unschedulable = unschedulable;
        this.spotPool = getCapacityType() == CapacityType.SPOT ? getInstanceType() + "/" + getZone() : null;
        this.reserve = new long[capacity.length];
    }

    public static NodeSlot existing(Node node, long[] capacity, ResourceIndex resources) {
        return new NodeSlot(
                node.name(),
                node,
                null,
                node.labels(),
                node.taints(),
                capacity,
                resources,
                node.pricePerHourMicros(),
                node.unschedulable());
    }

    public static NodeSlot candidate(
            String name,
            InstanceOffering offering,
            Map<String, String> labels,
            long[] capacity,
            ResourceIndex resources) {
        return new NodeSlot(
                name,
                null,
                offering,
                Map.copyOf(labels),
                List.of(),
                capacity,
                resources,
                offering.pricePerHourMicros(),
                false);
    }

    public String getName() {
        return name;
    }

    public boolean isExisting() {
        return node != null;
    }

    /** The node as it runs now; null for a candidate. */
    public Node getNode() {
        return node;
    }

    /** The offering a candidate would be bought from; null for an existing node. */
    public InstanceOffering getOffering() {
        return offering;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public List<Taint> getTaints() {
        return taints;
    }

    public long[] getCapacity() {
        return capacity;
    }

    /** How far {@code load} exceeds this node's capacity, summed over resources in score units; 0 when it fits. */
    public long overage(long[] load) {
        long overage = 0;
        for (int i = 0; i < capacity.length; i++) {
            if (load[i] > capacity[i]) {
                overage += resources.scoreUnits(i, load[i] - capacity[i]);
            }
        }
        return overage;
    }

    /**
     * Keeps {@code headroom}'s share of this node's allocatable CPU and memory (not of what DaemonSets leave): on this
     * node, or, for a cluster-wide headroom, as this node's part of what the nodes together keep free.
     */
    public void setHeadroom(Headroom headroom) {
        long[] allocatable = resources.vector(node != null ? node.allocatable() : offering.allocatable());
        reserve = new long[capacity.length];
        for (int i = 0; i < capacity.length; i++) {
            reserve[i] = Math.round(allocatable[i] * headroom.share(resources.name(i)));
        }
        headroomHard = headroom.hard();
        headroomClusterWide = headroom.clusterWide();
    }

    public boolean isHeadroomHard() {
        return headroomHard;
    }

    public boolean isHeadroomClusterWide() {
        return headroomClusterWide;
    }

    /** This node's part of a cluster-wide headroom, per resource; all zero without one. */
    public long[] getReserve() {
        return reserve;
    }

    public ResourceIndex getResources() {
        return resources;
    }

    /** How far {@code load} reaches into the headroom, in score units; what exceeds capacity is not counted here. */
    public long headroomShortfall(long[] load) {
        return HeadroomShortfall.units(resources, capacity, load, reserve);
    }

    /** The share of this node's price that the headroom {@code load} takes is worth, in micro-dollars per hour. */
    public long headroomShortfallMicros(long[] load) {
        return HeadroomShortfall.micros(capacity, load, reserve, pricePerHourMicros);
    }

    public List<PodPlacement> getPods() {
        return pods;
    }

    public long getPricePerHourMicros() {
        return pricePerHourMicros;
    }

    /** A node the plan must keep (scale-down disabled or do-not-disrupt): it is paid for whether used or not. */
    public boolean isKept() {
        return kept;
    }

    public void setKept(boolean kept) {
        this.kept = kept;
    }

    /** The expected cost of this node being interrupted, for spot nodes; 0 on demand. */
    public long getSpotRiskMicros() {
        return spotRiskMicros;
    }

    public void setSpotRiskMicros(long spotRiskMicros) {
        this.spotRiskMicros = spotRiskMicros;
    }

    /** The spot pool (instance type and zone) the node's interruptions come from, or null on demand. */
    public String getSpotPool() {
        return spotPool;
    }

    public boolean isUnschedulable() {
        return unschedulable;
    }

    public String getInstanceType() {
        return node != null ? node.instanceType() : offering.instanceType();
    }

    public String getZone() {
        return node != null ? node.zone() : offering.zone();
    }

    public CapacityType getCapacityType() {
        return node != null ? node.capacityType() : offering.capacityType();
    }

    @Override
    public String toString() {
        return name;
    }
}

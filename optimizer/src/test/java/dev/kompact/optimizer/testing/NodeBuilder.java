package dev.kompact.optimizer.testing;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Taint;
import java.util.List;
import java.util.Map;

/**
 * The one way tests of every module make a model {@link Node}: a free, empty on-demand m5.large in us-east-1a with
 * no labels, until told otherwise.
 */
public final class NodeBuilder {

    private final String name;
    private String instanceType = "m5.large";
    private String zone = "us-east-1a";
    private CapacityType capacityType = CapacityType.ON_DEMAND;
    private long pricePerHourMicros;
    private Map<String, String> labels = Map.of();
    private Map<String, String> annotations = Map.of();
    private List<Taint> taints = List.of();
    private ResourceList allocatable = ResourceList.EMPTY;
    private boolean unschedulable;

    private NodeBuilder(String name) {
        this.name = name;
    }

    public static NodeBuilder node(String name) {
        return new NodeBuilder(name);
    }

    /** Every field of {@code node}, to change some. */
    public static NodeBuilder from(Node node) {
        return node(node.name())
                .instanceType(node.instanceType())
                .zone(node.zone())
                .capacityType(node.capacityType())
                .priceMicros(node.pricePerHourMicros())
                .labels(node.labels())
                .annotations(node.annotations())
                .taints(node.taints())
                .allocatable(node.allocatable())
                .unschedulable(node.unschedulable());
    }

    public NodeBuilder instanceType(String instanceType) {
        this.instanceType = instanceType;
        return this;
    }

    public NodeBuilder zone(String zone) {
        this.zone = zone;
        return this;
    }

    public NodeBuilder capacityType(CapacityType capacityType) {
        this.capacityType = capacityType;
        return this;
    }

    public NodeBuilder priceMicros(long pricePerHourMicros) {
        this.pricePerHourMicros = pricePerHourMicros;
        return this;
    }

    public NodeBuilder labels(Map<String, String> labels) {
        this.labels = labels;
        return this;
    }

    public NodeBuilder annotations(Map<String, String> annotations) {
        this.annotations = annotations;
        return this;
    }

    public NodeBuilder taints(List<Taint> taints) {
        this.taints = taints;
        return this;
    }

    public NodeBuilder allocatable(ResourceList allocatable) {
        this.allocatable = allocatable;
        return this;
    }

    public NodeBuilder unschedulable(boolean unschedulable) {
        this.unschedulable = unschedulable;
        return this;
    }

    public Node build() {
        return new Node(
                name,
                instanceType,
                zone,
                capacityType,
                pricePerHourMicros,
                labels,
                annotations,
                taints,
                allocatable,
                unschedulable);
    }
}

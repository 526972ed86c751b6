package dev.kompact.optimizer.model;

import java.util.Map;

/**
 * A kind of node the plan may buy: an instance type in a zone at a capacity type and price (micro-dollars per
 * hour). {@code allocatable} is what Kubernetes would offer pods on it, before DaemonSets; {@code labels} are the
 * well-known labels a node of this offering carries.
 */
public record InstanceOffering(
        String instanceType,
        String zone,
        CapacityType capacityType,
        long pricePerHourMicros,
        ResourceList allocatable,
        Map<String, String> labels) {

    public InstanceOffering {
        labels = Map.copyOf(labels);
    }
}

package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Map;

/** A node of the cluster as it runs now; money in micro-dollars per hour. */
public record Node(
        String name,
        String instanceType,
        String zone,
        CapacityType capacityType,
        long pricePerHourMicros,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<Taint> taints,
        ResourceList allocatable,
        boolean unschedulable) {

    public Node {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        taints = List.copyOf(taints);
    }

    public boolean agentCapable() {
        return "true".equals(labels.get(WellKnownLabels.KOMPACT_AGENT));
    }
}

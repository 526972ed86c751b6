package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Optional;

/**
 * The cluster at one instant: what the optimizer plans from. {@code offerings} empty means no node may be added;
 * the reader fills it from the bundled catalogue when the document names none.
 */
public record ClusterSnapshot(
        String name,
        List<Node> nodes,
        List<Pod> pods,
        List<PodDisruptionBudget> podDisruptionBudgets,
        List<InstanceOffering> offerings) {

    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        podDisruptionBudgets = List.copyOf(podDisruptionBudgets);
        offerings = List.copyOf(offerings);
    }

    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }
}

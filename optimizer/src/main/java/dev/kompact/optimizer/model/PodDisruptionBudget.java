package dev.kompact.optimizer.model;

/**
 * A PodDisruptionBudget as Kubernetes writes it. {@code minAvailable} and {@code maxUnavailable} keep their
 * int-or-percent text; {@code disruptionsAllowed} is the controller's current verdict from the status.
 */
public record PodDisruptionBudget(
        String namespace,
        String name,
        LabelSelector selector,
        String minAvailable,
        String maxUnavailable,
        int disruptionsAllowed) {

    public boolean covers(Pod pod) {
        return namespace.equals(pod.namespace()) && selector.matches(pod.labels());
    }
}

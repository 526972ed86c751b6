package dev.kompact.executor.cluster;

import dev.kompact.executor.crd.KompactApi;
import io.fabric8.kubernetes.api.model.Node;

/** What the executor asks of a Node. */
public final class Nodes {

    private Nodes() {}

    public static boolean isReady(Node node) {
        return node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    public static boolean isCordoned(Node node) {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }

    public static boolean isCordonedByKompact(Node node) {
        return isCordoned(node)
                && node.getMetadata().getAnnotations() != null
                && node.getMetadata().getAnnotations().containsKey(KompactApi.CORDONED);
    }

    public static boolean hasTaint(Node node, String key) {
        return node.getSpec() != null
                && node.getSpec().getTaints() != null
                && node.getSpec().getTaints().stream().anyMatch(t -> key.equals(t.getKey()));
    }

    public static String providerId(Node node) {
        return node.getSpec() == null ? null : node.getSpec().getProviderID();
    }
}

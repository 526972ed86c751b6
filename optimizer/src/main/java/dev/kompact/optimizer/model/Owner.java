package dev.kompact.optimizer.model;

/** The controller that owns a pod, as in its controller {@code ownerReference}. */
public record Owner(String kind, String name) {

    public boolean isDaemonSet() {
        return "DaemonSet".equals(kind);
    }

    /** Static pods show up as mirror pods owned by their Node. */
    public boolean isNode() {
        return "Node".equals(kind);
    }
}

package dev.kompact.optimizer.model;

/** How a pod may be moved off its node. */
public enum Mobility {
    /** Checkpointed and restored on the target by the node agents: the pod never stops. */
    LIVE,
    /** Evicted and recreated by its controller elsewhere. */
    RESTART,
    /** Must stay where it is. */
    PINNED
}

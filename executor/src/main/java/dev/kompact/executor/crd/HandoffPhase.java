package dev.kompact.executor.crd;

/**
 * How far a live move's Kubernetes handoff got (docs/live-migration.md, "The Kubernetes handoff"); persisted before
 * each phase acts, so a restarted controller resumes or rolls back from it.
 */
public enum HandoffPhase {
    /** The target pod is being created on the target node; the source is untouched. */
    Target,
    /**
     * The cloud routes the source pod's address to the target node (a pod network such as the AWS VPC CNI); the
     * source is cut off from here on, and a rollback routes it back.
     */
    Address,
    /** The agents were asked to migrate: the outcome is theirs to tell. */
    Freezing,
    /** The pod runs in the target: ownership moves to it and the source is deleted. */
    Committed,
    /** The migration did not commit: the source runs as before; the target pod is deleted, then the pod evicted. */
    RollingBack
}

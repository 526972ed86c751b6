package dev.kompact.executor.cluster;

public enum EvictionResult {
    /** The API server accepted the eviction: the pod is being deleted. */
    EVICTED,
    /** 429: a PodDisruptionBudget allows no disruption now; try again later. */
    BLOCKED_BY_BUDGET,
    /** 404: the pod is already gone; 409: so is the one with the UID asked for (another took its name). */
    GONE
}

package dev.kompact.executor.crd;

/** Whether plans may buy spot capacity. Nodes already on spot are planned either way. */
public enum SpotPolicy {
    Allow,
    Never
}

package dev.kompact.executor.crd;

public enum StepState {
    Pending,
    InProgress,
    Succeeded,
    Failed,
    /** Not run, because the plan stopped before it. */
    Skipped;

    public boolean isDone() {
        return this == Succeeded || this == Failed || this == Skipped;
    }
}

package dev.kompact.executor.crd;

/** Where a plan is; between waves it names the action of the wave now running. */
public enum PlanPhase {
    Pending,
    Provisioning,
    Migrating,
    Draining,
    Terminating,
    Succeeded,
    Failed,
    Aborted;

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Aborted;
    }
}

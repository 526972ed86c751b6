package dev.kompact.executor.crd;

import dev.kompact.optimizer.plan.StepAction;

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

    /** The phase a plan is in while a wave of this action runs. */
    public static PlanPhase of(StepAction action) {
        return switch (action) {
            case Provision -> Provisioning;
            case Taint, Move -> Migrating;
            case Drain -> Draining;
            case Terminate -> Terminating;
        };
    }

    public boolean isTerminal() {
        return this == Succeeded || this == Failed || this == Aborted;
    }
}

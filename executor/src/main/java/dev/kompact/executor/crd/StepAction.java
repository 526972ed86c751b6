package dev.kompact.executor.crd;

public enum StepAction {
    Provision(PlanPhase.Provisioning),
    Taint(PlanPhase.Migrating),
    Move(PlanPhase.Migrating),
    Drain(PlanPhase.Draining),
    Terminate(PlanPhase.Terminating);

    private final PlanPhase phase;

    StepAction(PlanPhase phase) {
        this.phase = phase;
    }

    public PlanPhase phase() {
        return phase;
    }
}

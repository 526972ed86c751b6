package dev.kompact.executor.execution;

import dev.kompact.executor.crd.PlanPhase;

/** What one look at a step came to; {@code reason} is a stable, CamelCase word for events and conditions. */
record StepResult(Kind kind, PlanPhase stopPhase, String reason, String message) {

    enum Kind {
        /** Nothing changed; look again after the poll interval. */
        WAIT,
        /** The step's journal entry changed and must be persisted before anything else happens. */
        CHANGED,
        /** The step is done. */
        DONE,
        /** The plan must stop here. */
        STOP
    }

    static final StepResult WAIT = new StepResult(Kind.WAIT, null, null, null);
    static final StepResult CHANGED = new StepResult(Kind.CHANGED, null, null, null);

    static StepResult done(String message) {
        return new StepResult(Kind.DONE, null, null, message);
    }

    /** Drift or a safety check: nothing harmful happened, the rest of the plan no longer fits the cluster. */
    static StepResult abort(String reason, String message) {
        return new StepResult(Kind.STOP, PlanPhase.Aborted, reason, message);
    }

    /** A step could not be completed within its bounds. */
    static StepResult fail(String reason, String message) {
        return new StepResult(Kind.STOP, PlanPhase.Failed, reason, message);
    }
}

package dev.kompact.executor.execution;

import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepStatus;

/**
 * Carries one kind of step forward by one look. Each call makes at most one kind of change to the cluster and then
 * reports {@link StepResult.Kind#CHANGED} so the executor persists the journal; every change is idempotent, so a
 * call repeated after a crash does no harm.
 */
interface StepHandler {

    StepResult advance(StepContext context, PlanStep step, StepStatus status);
}

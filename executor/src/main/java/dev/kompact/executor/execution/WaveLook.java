package dev.kompact.executor.execution;

import static dev.kompact.executor.execution.PlanJournal.status;

import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.crd.Wave;
import dev.kompact.optimizer.plan.StepAction;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at a wave: its steps in order, the first that can change something does so. A Pending move waits while
 * {@code maxConcurrentMigrations} are in progress (unless an evacuation's deadline is too near); a closed budget
 * window pauses a step before it starts; a step's error is noted and looked at again until it has lasted
 * {@link ExecutorSettings#stepErrorGiveUp()}.
 */
final class WaveLook {
    private static final Logger log = LoggerFactory.getLogger(WaveLook.class);

    /**
     * What the look came to: the step that changed (null when none did) and whether it changed because it failed, so
     * the next look waits the poll interval.
     */
    record Outcome(PlanStep step, StepResult result, boolean failed) {
        Outcome(PlanStep step, StepResult result) {
            this(step, result, false);
        }
    }

    private final Map<StepAction, StepHandler> handlers;
    private final ExecutorSettings settings;
    private final Clock clock;

    WaveLook(Map<StepAction, StepHandler> handlers, ExecutorSettings settings, Clock clock) {
        this.handlers = handlers;
        this.settings = settings;
        this.clock = clock;
    }

    Outcome look(StepContext context, Wave wave) {
        RebalancePlanResource plan = context.plan();
        long moving = wave.steps.stream()
                .filter(s -> s.action == StepAction.Move && status(plan, s).state == StepState.InProgress)
                .count();
        for (PlanStep step : wave.steps) {
            StepStatus status = status(plan, step);
            if (status.state.isDone()
                    || (step.action == StepAction.Move
                            && status.state == StepState.Pending
                            && moving >= plan.getSpec().maxConcurrentMigrations
                            && !context.pressedByDeadline())) {
                continue;
            }
            StepResult result;
            try {
                result = BudgetWindow.paused(context, step, status)
                        .orElseGet(() -> handlers.get(step.action).advance(context, step, status));
            } catch (LeadershipLost e) {
                throw e;
            } catch (RuntimeException e) {
                return failing(context, step, status, e);
            }
            if (status.failingSince != null && result.kind() != StepResult.Kind.WAIT) {
                status.failingSince = null;
            }
            if (result.kind() == StepResult.Kind.DONE) {
                status.state = StepState.Succeeded;
                // a note left on the way (a rolled-back migration) stays beside the outcome
                status.message = status.message == null ? result.message() : status.message + "; " + result.message();
                status.finishedAt = clock.instant().toString();
                status.retryAt = null;
                log.info("plan {}: step {} done: {}", context.planName(), step.id, result.message());
            }
            if (result.kind() != StepResult.Kind.WAIT) {
                return new Outcome(step, result);
            }
        }
        return new Outcome(null, StepResult.WAIT);
    }

    /** Notes the error in the journal; past the bound, the step fails the plan with it. */
    private Outcome failing(StepContext context, PlanStep step, StepStatus status, RuntimeException error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (status.failingSince == null) {
            status.failingSince = clock.instant().toString();
        } else if (context.isPast(status.failingSince, settings.stepErrorGiveUp())) {
            return new Outcome(
                    step,
                    StepResult.fail(
                            StopReasons.STEP_ERROR,
                            "kept failing since " + status.failingSince + " (longer than " + settings.stepErrorGiveUp()
                                    + "): " + message));
        }
        log.warn(
                "plan {}: step {} failed, trying again in {} (gives up {} after the first error): {}",
                context.planName(),
                step.id,
                settings.poll(),
                settings.stepErrorGiveUp(),
                message);
        status.message = "error: " + message;
        return new Outcome(step, StepResult.CHANGED, true);
    }
}

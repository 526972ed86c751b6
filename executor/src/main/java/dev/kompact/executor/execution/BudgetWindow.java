package dev.kompact.executor.execution;

import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.StepAction;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The policy's budgets, copied into the plan, asked again before each disruptive step starts (a taint, a move, a
 * drain): a scheduled window that closed since the plan was made pauses the plan, with its nodes held, until a
 * window opens again. An evacuation is never paused: its node goes away regardless.
 */
final class BudgetWindow {

    private BudgetWindow() {}

    static Optional<StepResult> paused(StepContext context, PlanStep step, StepStatus status) {
        PlanSpec spec = context.plan().getSpec();
        boolean starts = status.state == StepState.Pending
                && (step.action == StepAction.Taint
                        || step.action == StepAction.Move
                        || step.action == StepAction.Drain);
        if (!starts
                || spec.evacuatedNode != null
                || spec.disruptionBudgets == null
                || spec.disruptionBudgets.isEmpty()) {
            return Optional.empty();
        }
        int held = held(context) + (step.action == StepAction.Taint ? 1 : 0);
        int allowed = ActiveBudget.nodes(
                spec.disruptionBudgets, context.cluster.nodes().size(), context.now());
        if (held <= allowed) {
            return Optional.empty();
        }
        String message = "paused: the disruption budgets allow " + allowed + " node(s) now and the plan would hold "
                + held + "; it goes on when a window opens";
        if (message.equals(status.message)) {
            return Optional.of(StepResult.WAIT);
        }
        status.message = message;
        return Optional.of(StepResult.CHANGED);
    }

    /** Nodes the plan has tainted and not yet terminated. */
    private static int held(StepContext context) {
        Set<String> tainted = new HashSet<>();
        Set<String> terminated = new HashSet<>();
        context.plan()
                .getSpec()
                .waves
                .forEach(w -> w.steps.forEach(s -> {
                    boolean succeeded = context.plan()
                            .getStatus()
                            .step(s.id)
                            .map(st -> st.state == StepState.Succeeded)
                            .orElse(false);
                    if (succeeded && s.action == StepAction.Taint) {
                        tainted.add(s.node);
                    } else if (succeeded && s.action == StepAction.Terminate) {
                        terminated.add(s.node);
                    }
                }));
        tainted.removeAll(terminated);
        return tainted.size();
    }
}

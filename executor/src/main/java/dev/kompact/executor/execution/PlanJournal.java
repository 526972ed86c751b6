package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanStatus;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.snapshot.NodePrices;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.plan.StepAction;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plan's status as the executor's journal: every write of it, how it starts (every step Pending, the cost before,
 * persisted before anything is touched) and how it ends (Succeeded with the cost after, or stopped with the rest
 * Skipped and the plan's nodes that were not terminated back in service).
 */
final class PlanJournal {
    private static final Logger log = LoggerFactory.getLogger(PlanJournal.class);

    private final PlanStore store;
    private final ClusterApi cluster;
    private final CatalogSource catalog;
    private final ExecutionListener listener;
    private final Clock clock;
    private final Function<RebalancePlanResource, StepContext> contexts;

    PlanJournal(
            PlanStore store,
            ClusterApi cluster,
            CatalogSource catalog,
            ExecutionListener listener,
            Clock clock,
            Function<RebalancePlanResource, StepContext> contexts) {
        this.store = store;
        this.cluster = cluster;
        this.catalog = catalog;
        this.listener = listener;
        this.clock = clock;
        this.contexts = contexts;
    }

    /** The plan with its journal: as found when resuming, else a new one, persisted. */
    RebalancePlanResource begin(RebalancePlanResource plan) {
        if (plan.getStatus() != null && !plan.getStatus().steps.isEmpty()) {
            log.info("plan {}: resuming in phase {}", plan.getMetadata().getName(), plan.getStatus().phase);
            return plan;
        }
        PlanStatus status = new PlanStatus();
        plan.getSpec()
                .waves
                .forEach(w -> w.steps.forEach(s -> {
                    StepStatus step = new StepStatus();
                    step.id = s.id;
                    status.steps.add(step);
                }));
        status.startedAt = clock.instant().toString();
        status.costBeforePerHour = liveCost();
        status.phase = plan.getSpec().waves.isEmpty()
                ? PlanPhase.Pending
                : PlanPhase.of(plan.getSpec().waves.get(0).action);
        Conditions.set(
                status.conditions,
                Conditions.PROGRESSING,
                true,
                "Started",
                "carrying the plan out",
                clock.instant(),
                plan.getMetadata().getGeneration());
        plan.setStatus(status);
        RebalancePlanResource started = persist(plan);
        contexts.apply(started)
                .planEvent(EventReasons.PLAN_STARTED, "carrying out " + stepCount(started) + " steps", false);
        return started;
    }

    RebalancePlanResource succeed(RebalancePlanResource plan) {
        PlanStatus status = plan.getStatus();
        status.phase = PlanPhase.Succeeded;
        status.reason = "Completed";
        status.message = "every step succeeded";
        status.finishedAt = clock.instant().toString();
        status.costAfterPerHour = liveCost();
        concluded(plan, true, "Completed");
        RebalancePlanResource done = persist(plan);
        contexts.apply(done)
                .planEvent(
                        EventReasons.PLAN_SUCCEEDED,
                        "cost per hour " + status.costBeforePerHour + " → " + status.costAfterPerHour + " USD",
                        false);
        listener.planFinished(PlanPhase.Succeeded);
        log.info("plan {} succeeded", plan.getMetadata().getName());
        return done;
    }

    RebalancePlanResource stop(RebalancePlanResource plan, PlanStep step, StepResult result) {
        PlanStatus status = plan.getStatus();
        StepStatus failed = status(plan, step);
        failed.state = result.stopPhase() == PlanPhase.Failed ? StepState.Failed : StepState.Skipped;
        failed.message = result.message();
        failed.finishedAt = clock.instant().toString();
        for (StepStatus other : status.steps) {
            if (!other.state.isDone()) {
                other.state = StepState.Skipped;
                other.message = "the plan stopped at step " + step.id;
            }
        }
        status.phase = result.stopPhase();
        status.reason = result.reason();
        status.message = "step " + step.id + ": " + result.message();
        status.finishedAt = clock.instant().toString();
        status.costAfterPerHour = liveCost();
        concluded(plan, false, result.reason());
        RebalancePlanResource stopped = persist(plan);
        log.warn("plan {} {}: {}", plan.getMetadata().getName(), result.stopPhase(), status.message);
        contexts.apply(stopped).planEvent(result.reason(), status.message, true);
        listener.planFinished(result.stopPhase());
        releaseNodes(stopped);
        return stopped;
    }

    RebalancePlanResource persist(RebalancePlanResource plan) {
        plan.getStatus().observedGeneration = plan.getMetadata().getGeneration();
        return store.updateStatus(plan);
    }

    static StepStatus status(RebalancePlanResource plan, PlanStep step) {
        return plan.getStatus()
                .step(step.id)
                .orElseThrow(() -> new IllegalStateException("plan "
                        + plan.getMetadata().getName() + " has no journal entry for step " + step.id
                        + "; its status was edited by hand: delete the plan and let the controller make a new one"));
    }

    /** The plan no longer progresses; it succeeded or not, for {@code reason}, with the status's message. */
    private void concluded(RebalancePlanResource plan, boolean succeeded, String reason) {
        PlanStatus status = plan.getStatus();
        Long generation = plan.getMetadata().getGeneration();
        Conditions.set(
                status.conditions, Conditions.PROGRESSING, false, reason, status.message, clock.instant(), generation);
        Conditions.set(
                status.conditions,
                Conditions.SUCCEEDED,
                succeeded,
                reason,
                status.message,
                clock.instant(),
                generation);
    }

    /** Nodes the plan marked but did not terminate go back into service. */
    private void releaseNodes(RebalancePlanResource plan) {
        Set<String> terminated = new HashSet<>();
        plan.getSpec()
                .waves
                .forEach(w -> w.steps.stream()
                        .filter(s -> s.action == StepAction.Terminate && status(plan, s).state == StepState.Succeeded)
                        .forEach(s -> terminated.add(s.node)));
        plan.getSpec()
                .waves
                .forEach(w -> w.steps.stream()
                        .filter(s -> s.action == StepAction.Taint && status(plan, s).state == StepState.Succeeded)
                        .filter(s -> !terminated.contains(s.node))
                        .forEach(s -> {
                            cluster.removeTaint(s.node, KompactApi.DISRUPTED_TAINT);
                            cluster.uncordon(s.node);
                        }));
    }

    private String liveCost() {
        return Money.dollars(new NodePrices(catalog.current()).totalMicros(cluster.nodes()))
                .toPlainString();
    }

    private static long stepCount(RebalancePlanResource plan) {
        return plan.getSpec().waves.stream().mapToLong(w -> w.steps.size()).sum();
    }
}

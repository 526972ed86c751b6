package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanStatus;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.crd.Wave;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.snapshot.NodePrices;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.plan.StepAction;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a {@code RebalancePlan} out, with its status as the journal it resumes from.
 *
 * <ol>
 *   <li>Read the plan. A dry-run or finished plan is left alone. A plan without a journal gets one: every step
 *       Pending, the cluster's cost now, phase of the first wave; persisted before anything is touched.</li>
 *   <li>Take the first wave with a step not yet Succeeded (waves run strictly one after another: provision, then
 *       per batch of nodes taint, move, drain, terminate).</li>
 *   <li>Look at its steps in order and let the first one that can change something do so: a Pending move starts
 *       only while fewer than {@code maxConcurrentMigrations} moves are in progress, unless an evacuation's deadline
 *       is too near to wait ({@link StepContext#pressedByDeadline}). A taint, move or drain starts only while the
 *       plan's disruption budgets allow it ({@link BudgetWindow}). Each step re-validates against the live cluster
 *       right before it acts.</li>
 *   <li>Persist the journal after every change, before the next look; when nothing changed, wait the poll
 *       interval.</li>
 *   <li>A step whose look throws (the cloud refuses, the API server answers 500 or 403) is looked at again after
 *       the poll interval; once its errors have lasted {@link ExecutorSettings#stepErrorGiveUp()}, it fails the
 *       plan, so one bad plan cannot hold its nodes and block every later round.</li>
 *   <li>When a step reports drift or runs out of time, persist the plan as Aborted or Failed with the reason, mark
 *       the remaining steps Skipped, and take the disruption taint off the plan's nodes that were not terminated.
 *       When no step is left, persist Succeeded with the cluster's cost after.</li>
 * </ol>
 *
 * Guarantees, across a crash at any instant: every change to the cluster or cloud is idempotent and its journal
 * entry is written right after it, so repeating the last change is harmless (launches carry a token, evictions of
 * gone pods and deletions of gone nodes are no-ops); a node is terminated only after the check that no workload
 * runs on it, repeated after a restart; moves in progress never exceed {@code maxConcurrentMigrations}; evictions
 * go through the Eviction API, so PodDisruptionBudgets hold, and a budget changed since planning aborts; no more
 * nodes are disrupted than the plan's node budget. One executor drives a plan at a time because only the Lease
 * holder runs one; the journal is also written with the resourceVersion it was read at, which a real API server
 * checks (the test server does not). Some 350 lines because the loop, the journal writes and the stop paths keep
 * the guarantees above together; the steps themselves live in one class each.
 */
public final class PlanExecutor {
    private static final Logger log = LoggerFactory.getLogger(PlanExecutor.class);

    private final ClusterApi cluster;
    private final CloudProvider cloud;
    private final Optional<Migrator> migrator;
    private final Optional<PodAddresses> addresses;
    private final PlanStore store;
    private final CatalogSource catalog;
    private final ExecutorSettings settings;
    private final ExecutionListener listener;
    private final Clock clock;
    private final Map<StepAction, StepHandler> handlers = new EnumMap<>(StepAction.class);

    /** @param migrator empty when no node agents are deployed: LIVE moves are then evictions */
    public PlanExecutor(
            ClusterApi cluster,
            CloudProvider cloud,
            Optional<Migrator> migrator,
            PlanStore store,
            CatalogSource catalog,
            ExecutorSettings settings,
            ExecutionListener listener,
            Clock clock) {
        this(cluster, cloud, migrator, Optional.empty(), store, catalog, settings, listener, clock);
    }

    /**
     * @param addresses present on a pod network whose addresses the cloud routes (the AWS VPC CNI): a live move has
     *     the pod's address moved to the target node before it freezes; empty where the agents move it (bridge)
     */
    public PlanExecutor(
            ClusterApi cluster,
            CloudProvider cloud,
            Optional<Migrator> migrator,
            Optional<PodAddresses> addresses,
            PlanStore store,
            CatalogSource catalog,
            ExecutorSettings settings,
            ExecutionListener listener,
            Clock clock) {
        this.cluster = cluster;
        this.cloud = cloud;
        this.migrator = migrator;
        this.addresses = addresses;
        this.store = store;
        this.catalog = catalog;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        handlers.put(StepAction.Provision, new ProvisionStep());
        handlers.put(StepAction.Taint, new TaintStep());
        handlers.put(StepAction.Move, new MoveStep());
        handlers.put(StepAction.Drain, new DrainStep());
        handlers.put(StepAction.Terminate, new TerminateStep());
    }

    /**
     * Runs the plan until it finishes or {@code keepGoing} turns false (leadership lost, shutdown).
     *
     * @return the plan as last persisted
     */
    public RebalancePlanResource run(String planName, BooleanSupplier keepGoing) throws InterruptedException {
        RebalancePlanResource plan = store.plan(planName)
                .orElseThrow(() -> new IllegalArgumentException(
                        "no RebalancePlan named " + planName + "; list them with: kubectl get rebalanceplans"));
        if (!plan.getSpec().execute || plan.isFinished()) {
            return plan;
        }
        plan = begin(plan);
        while (keepGoing.getAsBoolean()) {
            RebalancePlanResource current = plan;
            Optional<Wave> wave = plan.getSpec().waves.stream()
                    .filter(w -> w.steps.stream().anyMatch(s -> status(current, s).state != StepState.Succeeded))
                    .findFirst();
            if (wave.isEmpty()) {
                return succeed(plan);
            }
            if (plan.getStatus().phase != PlanPhase.of(wave.get().action)) {
                plan.getStatus().phase = PlanPhase.of(wave.get().action);
                plan = persist(plan);
                continue;
            }
            Look look = look(context(plan), wave.get());
            if (look.result.kind() == StepResult.Kind.STOP) {
                return stop(plan, look.step, look.result);
            }
            if (look.result.kind() == StepResult.Kind.WAIT) {
                Thread.sleep(settings.poll().toMillis());
            } else {
                plan = persist(plan);
                if (look.failed) {
                    Thread.sleep(settings.poll().toMillis());
                }
            }
        }
        return plan;
    }

    private record Look(PlanStep step, StepResult result, boolean failed) {
        Look(PlanStep step, StepResult result) {
            this(step, result, false);
        }
    }

    private Look look(StepContext context, Wave wave) {
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
                return new Look(step, result);
            }
        }
        return new Look(null, StepResult.WAIT);
    }

    /** Notes the error in the journal; past the bound, the step fails the plan with it. */
    private Look failing(StepContext context, PlanStep step, StepStatus status, RuntimeException error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (status.failingSince == null) {
            status.failingSince = clock.instant().toString();
        } else if (context.isPast(status.failingSince, settings.stepErrorGiveUp())) {
            return new Look(
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
        return new Look(step, StepResult.CHANGED, true);
    }

    private RebalancePlanResource begin(RebalancePlanResource plan) {
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
        context(started).planEvent(EventReasons.PLAN_STARTED, "carrying out " + stepCount(started) + " steps", false);
        return started;
    }

    private RebalancePlanResource succeed(RebalancePlanResource plan) {
        PlanStatus status = plan.getStatus();
        status.phase = PlanPhase.Succeeded;
        status.reason = "Completed";
        status.message = "every step succeeded";
        status.finishedAt = clock.instant().toString();
        status.costAfterPerHour = liveCost();
        Conditions.set(
                status.conditions,
                Conditions.PROGRESSING,
                false,
                "Completed",
                status.message,
                clock.instant(),
                plan.getMetadata().getGeneration());
        Conditions.set(
                status.conditions,
                Conditions.SUCCEEDED,
                true,
                "Completed",
                status.message,
                clock.instant(),
                plan.getMetadata().getGeneration());
        RebalancePlanResource done = persist(plan);
        context(done)
                .planEvent(
                        EventReasons.PLAN_SUCCEEDED,
                        "cost per hour " + status.costBeforePerHour + " → " + status.costAfterPerHour + " USD",
                        false);
        listener.planFinished(PlanPhase.Succeeded);
        log.info("plan {} succeeded", plan.getMetadata().getName());
        return done;
    }

    private RebalancePlanResource stop(RebalancePlanResource plan, PlanStep step, StepResult result) {
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
        Conditions.set(
                status.conditions,
                Conditions.PROGRESSING,
                false,
                result.reason(),
                status.message,
                clock.instant(),
                plan.getMetadata().getGeneration());
        Conditions.set(
                status.conditions,
                Conditions.SUCCEEDED,
                false,
                result.reason(),
                status.message,
                clock.instant(),
                plan.getMetadata().getGeneration());
        RebalancePlanResource stopped = persist(plan);
        log.warn("plan {} {}: {}", plan.getMetadata().getName(), result.stopPhase(), status.message);
        context(stopped).planEvent(result.reason(), status.message, true);
        listener.planFinished(result.stopPhase());
        releaseNodes(stopped);
        return stopped;
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

    private RebalancePlanResource persist(RebalancePlanResource plan) {
        plan.getStatus().observedGeneration = plan.getMetadata().getGeneration();
        return store.updateStatus(plan);
    }

    private StepContext context(RebalancePlanResource plan) {
        return new StepContext(cluster, cloud, migrator, addresses, settings, listener, clock, plan);
    }

    private String liveCost() {
        return Money.dollars(new NodePrices(catalog.current()).totalMicros(cluster.nodes()))
                .toPlainString();
    }

    private static StepStatus status(RebalancePlanResource plan, PlanStep step) {
        return plan.getStatus()
                .step(step.id)
                .orElseThrow(() -> new IllegalStateException("plan "
                        + plan.getMetadata().getName() + " has no journal entry for step " + step.id
                        + "; its status was edited by hand: delete the plan and let the controller make a new one"));
    }

    private static long stepCount(RebalancePlanResource plan) {
        return plan.getSpec().waves.stream().mapToLong(w -> w.steps.size()).sum();
    }
}

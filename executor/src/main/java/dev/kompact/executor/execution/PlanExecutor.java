package dev.kompact.executor.execution;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.Wave;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.optimizer.plan.StepAction;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

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
 * checks (the test server does not). The loop lives here, one look at a wave in {@link WaveLook}, the journal's
 * writes and the stop paths in {@link PlanJournal}, each step in a class of its own.
 */
public final class PlanExecutor {
    private final ClusterApi cluster;
    private final CloudProvider cloud;
    private final Optional<Migrator> migrator;
    private final Optional<PodAddresses> addresses;
    private final PlanStore store;
    private final ExecutorSettings settings;
    private final ExecutionListener listener;
    private final Clock clock;
    private final PlanJournal journal;
    private final WaveLook waves;

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
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
        this.journal = new PlanJournal(store, cluster, catalog, listener, clock, this::context);
        Map<StepAction, StepHandler> handlers = new EnumMap<>(StepAction.class);
        handlers.put(StepAction.Provision, new ProvisionStep());
        handlers.put(StepAction.Taint, new TaintStep());
        handlers.put(StepAction.Move, new MoveStep());
        handlers.put(StepAction.Drain, new DrainStep());
        handlers.put(StepAction.Terminate, new TerminateStep());
        this.waves = new WaveLook(handlers, settings, clock);
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
        plan = journal.begin(plan);
        while (keepGoing.getAsBoolean()) {
            RebalancePlanResource current = plan;
            Optional<Wave> wave = plan.getSpec().waves.stream()
                    .filter(w ->
                            w.steps.stream().anyMatch(s -> PlanJournal.status(current, s).state != StepState.Succeeded))
                    .findFirst();
            if (wave.isEmpty()) {
                return journal.succeed(plan);
            }
            if (plan.getStatus().phase != PlanPhase.of(wave.get().action)) {
                plan.getStatus().phase = PlanPhase.of(wave.get().action);
                plan = journal.persist(plan);
                continue;
            }
            WaveLook.Outcome look = waves.look(context(plan), wave.get());
            if (look.result().kind() == StepResult.Kind.STOP) {
                return journal.stop(plan, look.step(), look.result());
            }
            if (look.result().kind() == StepResult.Kind.WAIT) {
                Thread.sleep(settings.poll().toMillis());
            } else {
                plan = journal.persist(plan);
                if (look.failed()) {
                    Thread.sleep(settings.poll().toMillis());
                }
            }
        }
        return plan;
    }

    private StepContext context(RebalancePlanResource plan) {
        return new StepContext(cluster, cloud, migrator, addresses, settings, listener, clock, plan);
    }
}

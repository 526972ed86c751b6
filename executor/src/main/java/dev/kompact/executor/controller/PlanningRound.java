package dev.kompact.executor.controller;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.ActiveBudget;
import dev.kompact.executor.execution.GoDurations;
import dev.kompact.executor.execution.PlanCompiler;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.execution.PlanStore;
import dev.kompact.executor.snapshot.ClusterObserver;
import dev.kompact.executor.snapshot.NodePrices;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.plan.NoValidPlanException;
import dev.kompact.optimizer.plan.PlanGate;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interval of the controller, in this order: delete the policy's finished plans beyond the newest few
 * ({@link FinishedPlans}); finish any plan a previous leader left running, evacuations first
 * (a new plan is computed only from a cluster no plan is changing); snapshot, with the nodes the cloud announced the
 * end of closed ({@link NoticedNodes}); solve within the policy's time limit; gate; create the RebalancePlan; carry it
 * out in Auto mode.
 */
final class PlanningRound {
    private static final Logger log = LoggerFactory.getLogger(PlanningRound.class);
    private final ClusterObserver observer;
    private final ClusterApi cluster;
    private final PlanStore store;
    private final PlanPublisher publisher;
    private final Optional<PlanExecutor> executor;
    private final CatalogSource catalog;
    private final NoticedNodes noticed;
    private final ControllerMetrics metrics;
    private final Clock clock;

    /** @param executor empty when no cloud provider is configured: Auto plans are then only reported */
    PlanningRound(
            ClusterObserver observer,
            ClusterApi cluster,
            PlanStore store,
            PlanPublisher publisher,
            Optional<PlanExecutor> executor,
            CatalogSource catalog,
            NoticedNodes noticed,
            ControllerMetrics metrics,
            Clock clock) {
        this.observer = observer;
        this.cluster = cluster;
        this.store = store;
        this.publisher = publisher;
        this.executor = executor;
        this.catalog = catalog;
        this.noticed = noticed;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Only plans a Kompact controller created are carried out: one written by hand is left alone. RBAC keeps others
     * from writing plans at all (docs/security.md); this keeps a stray {@code kubectl apply} from evicting anything.
     */
    static boolean createdByAController(RebalancePlanResource plan) {
        var annotations = plan.getMetadata().getAnnotations();
        boolean created = annotations != null && annotations.get(KompactApi.CREATED_BY) != null;
        if (!created) {
            log.warn(
                    "plan {} asks to be carried out but no Kompact controller created it (no {} annotation): left alone",
                    plan.getMetadata().getName(),
                    KompactApi.CREATED_BY);
        }
        return created;
    }

    void run(OptimizationPolicy policy, BooleanSupplier leading) throws InterruptedException {
        FinishedPlans.collect(store, policy.getMetadata().getName(), policy.getSpec().keepFinishedPlans);
        for (RebalancePlanResource unfinished : store.plans().stream()
                .filter(p -> p.getSpec().execute && !p.isFinished())
                .filter(PlanningRound::createdByAController)
                .sorted(Comparator.comparing((RebalancePlanResource p) -> p.getSpec().evacuatedNode == null)
                        .thenComparing(
                                p -> p.getMetadata().getCreationTimestamp(),
                                Comparator.nullsLast(Comparator.naturalOrder())))
                .toList()) {
            if (executor.isEmpty()) {
                log.error(
                        "plan {} is unfinished but this controller has no cloud provider to finish it with",
                        unfinished.getMetadata().getName());
                continue;
            }
            executor.get().run(unfinished.getMetadata().getName(), leading);
            if (!leading.getAsBoolean()) {
                return;
            }
        }
        OptimizationPolicySpec spec = policy.getSpec();
        ClusterSnapshot snapshot;
        try {
            // filtered here so the plan's alternatives for a new node are offerings the policy allows too
            snapshot = noticed.close(OfferingFilter.apply(observer.snapshot(), spec), cluster.nodes(), store.plans());
        } catch (InvalidSnapshotException e) {
            log.error("cannot plan: the cluster as observed is not a valid snapshot: {}", e.getMessage());
            metrics.roundEnded("invalid_snapshot");
            return;
        }
        metrics.clusterCost(Money.dollars(new NodePrices(catalog.current()).totalMicros(cluster.nodes()))
                .doubleValue());
        PlanGate gate = new PlanGate(
                Money.micros(spec.savings.minDollarsPerHour),
                spec.savings.minPercent,
                spec.savings.minSavingsPerDisruption);
        Duration limit = GoDurations.parse(spec.solverTimeLimit, "spec.solverTimeLimit");
        Headroom headroom;
        try {
            headroom = spec.headroom == null ? Headroom.NONE : spec.headroom.toHeadroom();
        } catch (IllegalArgumentException e) {
            log.error("cannot plan: {}", e.getMessage());
            metrics.roundEnded("invalid_policy");
            return;
        }
        int maxDisruptedNodes =
                ActiveBudget.nodes(spec.disruption.budgets, snapshot.nodes().size(), clock.instant());
        RebalancePlan plan;
        long start = System.nanoTime();
        try {
            // laid out for at least one node at a time: a plan that removes nodes while none may go is gated below
            plan = new Planner(
                            SolverSettings.of(limit),
                            SolverProgress.SILENT,
                            gate,
                            headroom,
                            catalog.current().region())
                    .plan(snapshot, Math.max(1, maxDisruptedNodes));
        } catch (NoValidPlanException e) {
            log.warn("no plan this round: {}", e.getMessage());
            metrics.roundEnded("no_valid_plan");
            return;
        }
        Duration planning = Duration.ofNanos(System.nanoTime() - start);
        metrics.planned(
                plan.savings().cost().perHour().doubleValue(), plan.lowerBound().gap(), planning);
        // where a round's time went, for an operator asking why a plan came late
        log.info(
                "planned in {} ms: the search stopped on {} (its best plan at {} ms), {}% above the lower bound",
                planning.toMillis(),
                plan.search().stoppedBecause(),
                plan.search().bestMillis(),
                Math.round(plan.lowerBound().gap() * 1000) / 10.0);
        if (plan.decision().rejected()) {
            log.error(
                    "plan rejected by the independent check, not published: {}",
                    String.join("; ", plan.decision().violations()));
            metrics.roundEnded("rejected");
            return;
        }
        if (!plan.decision().proposed()) {
            log.info(
                    "plan not worth carrying out: {}",
                    String.join("; ", plan.decision().reasons()));
            metrics.roundEnded("gated");
            return;
        }
        if (!plan.nodesRemoved().isEmpty() && maxDisruptedNodes < 1) {
            log.info(
                    "plan removes {} node(s) but the disruption budgets allow none now",
                    plan.nodesRemoved().size());
            metrics.roundEnded("gated");
            return;
        }
        boolean execute = spec.mode == PolicyMode.Auto && executor.isPresent();
        if (spec.mode == PolicyMode.Auto && executor.isEmpty()) {
            log.error(
                    "policy {} asks for Auto mode but no cloud provider is configured: the plan is only reported",
                    policy.getMetadata().getName());
        }
        PlanSpec planSpec = PlanCompiler.compile(
                plan,
                snapshot,
                policy.getMetadata().getName(),
                execute,
                spec.maxConcurrentMigrations,
                maxDisruptedNodes);
        planSpec.disruptionBudgets = spec.disruption.budgets;
        RebalancePlanResource created;
        try {
            created = publisher.create(policy, planSpec, "rebalance", "saves " + planSpec.savings);
        } catch (PlanPublisher.PlanTooLarge e) {
            log.error("plan not published: {}", e.getMessage());
            metrics.roundEnded("too_large");
            return;
        }
        String name = created.getMetadata().getName();
        log.info(
                "created plan {} ({}), saving {}",
                name,
                execute ? "to carry out" : "dry run",
                created.getSpec().savings);
        if (execute) {
            executor.get().run(name, leading);
        } else {
            publisher.reportOnly(created, policy);
            metrics.roundEnded("dry_run");
        }
    }
}

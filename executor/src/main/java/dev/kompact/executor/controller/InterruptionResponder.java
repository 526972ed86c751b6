package dev.kompact.executor.controller;

import dev.kompact.executor.cloud.InterruptionNotice;
import dev.kompact.executor.cloud.InterruptionNotices;
import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.GoDurations;
import dev.kompact.executor.execution.PlanCompiler;
import dev.kompact.executor.execution.PlanStore;
import dev.kompact.executor.snapshot.ClusterObserver;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.plan.NoValidPlanException;
import dev.kompact.optimizer.plan.PlanGate;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the cloud's notice that an instance is going away:
 * <ol>
 *   <li>a notice with nothing left to move ahead of (the instance already stopped) or for an instance that is no
 *       Node of this cluster is logged and acknowledged;</li>
 *   <li>from here on the node is {@link NoticedNodes noticed}: no plan gives it pods, even if it is too late to
 *       evacuate or its evacuation cannot be planned; so are the nodes of the other notices received with it
 *       ({@link #heard}), before any of them is planned;</li>
 *   <li>a spot warning past its deadline is logged and acknowledged: no plan can help;</li>
 *   <li>a node that an unfinished plan already evacuates needs no second plan (SQS delivers at least once, and a
 *       rebalance recommendation often precedes the interruption warning);</li>
 *   <li>otherwise the node's evacuation alone is planned ({@link EvacuationSnapshot}) within at most
 *       {@link #MAX_SOLVE}, since the deadline is near, onto nodes no notice names, whatever it saves, and created as
 *       a plan that names the node
 *       and the deadline; it is carried out when the policy is Auto and a cloud is configured;</li>
 *   <li>the trigger makes the controller's loop run it before anything else.</li>
 * </ol>
 * A notice is acknowledged only once {@link #handle} returns: a plan that could not be made or created throws, and
 * the notice comes back for another try.
 */
final class InterruptionResponder implements InterruptionNotices.Handler {

    private static final Logger log = LoggerFactory.getLogger(InterruptionResponder.class);
    static final Duration MAX_SOLVE = Duration.ofSeconds(10);

    private final ClusterObserver observer;
    private final ClusterApi cluster;
    private final PlanStore store;
    private final PlanPublisher publisher;
    private final boolean canExecute;
    private final String policyName;
    private final RoundTrigger trigger;
    private final NoticedNodes noticed;
    private final Clock clock;

    /** @param canExecute whether a cloud provider is configured to carry plans out */
    InterruptionResponder(
            ClusterObserver observer,
            ClusterApi cluster,
            PlanStore store,
            PlanPublisher publisher,
            boolean canExecute,
            String policyName,
            RoundTrigger trigger,
            NoticedNodes noticed,
            Clock clock) {
        this.observer = observer;
        this.cluster = cluster;
        this.store = store;
        this.publisher = publisher;
        this.canExecute = canExecute;
        this.policyName = policyName;
        this.trigger = trigger;
        this.noticed = noticed;
        this.clock = clock;
    }

    /** Every node a notice of the batch names is noticed before any is evacuated, so that none is a destination. */
    @Override
    public void heard(List<InterruptionNotice> notices) {
        List<Node> nodes = cluster.nodes();
        for (InterruptionNotice notice : notices) {
            if (notice.evacuateBy().isPresent()) {
                nodeOf(nodes, notice.instanceId()).ifPresent(node -> noticed.record(node, clock.instant()));
            }
        }
    }

    @Override
    public void handle(InterruptionNotice notice) {
        Optional<Instant> deadline = notice.evacuateBy();
        if (deadline.isEmpty()) {
            log.info("{}: nothing to evacuate ahead of", notice);
            return;
        }
        Optional<String> node = nodeOf(cluster.nodes(), notice.instanceId());
        if (node.isEmpty()) {
            log.info("{}: instance {} is no node of this cluster; ignoring it", notice, notice.instanceId());
            return;
        }
        noticed.record(node.get(), clock.instant());
        if (notice instanceof InterruptionNotice.SpotInterruption
                && !clock.instant().isBefore(deadline.get())) {
            log.warn("{}: node {} is past its deadline; too late to move its pods", notice, node.get());
            return;
        }
        if (store.plans().stream().anyMatch(p -> node.get().equals(p.getSpec().evacuatedNode) && !p.isFinished())) {
            log.info("{}: node {} is being evacuated already", notice, node.get());
            return;
        }
        OptimizationPolicy policy = store.policy(policyName)
                .orElseThrow(() -> new IllegalStateException(
                        "cannot evacuate node " + node.get() + ": no OptimizationPolicy named " + policyName));
        ClusterSnapshot snapshot = OfferingFilter.apply(snapshotFor(node.get()), policy.getSpec());
        RebalancePlan plan = evacuation(snapshot, node.get(), policy.getSpec());
        boolean execute = canExecute && policy.getSpec().mode == PolicyMode.Auto;
        PlanSpec spec =
                PlanCompiler.compile(plan, snapshot, policyName, execute, policy.getSpec().maxConcurrentMigrations, 1);
        spec.evacuatedNode = node.get();
        spec.deadline = deadline.get().toString();
        RebalancePlanResource created = publisher.create(
                policy,
                spec,
                "evacuate",
                "moves " + plan.moves().size() + " pod(s) off node " + node.get() + " before " + spec.deadline + " ("
                        + notice + ")");
        log.info(
                "{}: created plan {} to evacuate node {}",
                notice,
                created.getMetadata().getName(),
                node.get());
        if (execute) {
            trigger.fire();
        } else {
            publisher.reportOnly(created, policy);
        }
    }

    private static Optional<String> nodeOf(List<Node> nodes, String instanceId) {
        return nodes.stream()
                .filter(n -> ProviderId.parse(Nodes.providerId(n))
                        .map(ProviderId::instanceId)
                        .filter(instanceId::equals)
                        .isPresent())
                .map(n -> n.getMetadata().getName())
                .findFirst();
    }

    private static RebalancePlan evacuation(ClusterSnapshot snapshot, String node, OptimizationPolicySpec policy) {
        Duration limit = GoDurations.parse(policy.solverTimeLimit, "spec.solverTimeLimit");
        try {
            // the gate judges savings; an evacuation is carried out whatever it costs
            RebalancePlan plan = new Planner(
                            SolverSettings.of(limit.compareTo(MAX_SOLVE) < 0 ? limit : MAX_SOLVE),
                            SolverProgress.SILENT,
                            PlanGate.DEFAULT)
                    .plan(snapshot, 1);
            if (!plan.nodesRemoved().contains(node)) {
                throw new IllegalStateException("the optimizer found no room for every pod of node " + node);
            }
            return plan;
        } catch (NoValidPlanException e) {
            throw new IllegalStateException("cannot evacuate node " + node + ": " + e.getMessage(), e);
        }
    }

    private ClusterSnapshot snapshotFor(String node) {
        try {
            ClusterSnapshot observed = noticed.close(observer.snapshot(), cluster.nodes(), store.plans());
            return EvacuationSnapshot.of(observed, node)
                    .orElseThrow(
                            () -> new IllegalStateException("node " + node + " is not in the observed cluster yet"));
        } catch (InvalidSnapshotException e) {
            throw new IllegalStateException(
                    "cannot evacuate node " + node + ": the cluster as observed is not a valid" + " snapshot: "
                            + e.getMessage(),
                    e);
        }
    }
}

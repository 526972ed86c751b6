package dev.kompact.executor.testing;

import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.PlanCompiler;
import dev.kompact.executor.snapshot.SnapshotExporter;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.AcceptableOfferings;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.Cost;
import dev.kompact.optimizer.plan.Decision;
import dev.kompact.optimizer.plan.ExecutionOrder;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.StepAction;
import dev.kompact.optimizer.plan.Utilization;
import dev.kompact.optimizer.plan.Wave;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.util.List;

/** Optimizer plans written by hand, so that executor tests say exactly which steps they exercise. */
public final class Plans {

    private Plans() {}

    public static RebalancePlan plan(List<AddedNode> added, List<String> removed, List<PodMove> moves) {
        return plan(added, removed, moves, List.of(moves), Integer.MAX_VALUE);
    }

    private static RebalancePlan plan(
            List<AddedNode> added,
            List<String> removed,
            List<PodMove> moves,
            List<List<PodMove>> moveWaves,
            int maxDisruptedNodes) {
        Cost before = Cost.ofMicros(2_000_000);
        Cost after = Cost.ofMicros(1_000_000);
        List<Wave> waves =
                ExecutionOrder.of(added.stream().map(AddedNode::name).toList(), moveWaves, removed, maxDisruptedNodes);
        return RebalancePlan.builder("test")
                .decision(new Decision(true, List.of()))
                .costs(before, after, new RebalancePlan.Savings(Cost.ofMicros(1_000_000), 50.0))
                .lowerBound(new LowerBoundEstimate(after, 0, "cpu"))
                .utilization(new Utilization(0.2, 0.2), new Utilization(0.4, 0.4))
                .nodesAdded(added)
                .nodesRemoved(removed)
                .moves(moves)
                .waves(waves)
                .score("0hard/0medium/-1soft")
                .solveMillis(10)
                .build();
    }

    /**
     * The hand-written plan laid out again for the node budget it is carried out with, and its added nodes given the
     * alternatives the cluster offers, as the planner would.
     */
    private static RebalancePlan asPlanned(RebalancePlan plan, ClusterSnapshot snapshot, int maxDisruptedNodes) {
        return plan(
                plan.nodesAdded().stream()
                        .map(n -> n.withAlternatives(AcceptableOfferings.of(
                                n,
                                plan.moves(),
                                plan.savings().cost().microsPerHour(),
                                plan.nodesAdded().size(),
                                snapshot)))
                        .toList(),
                plan.nodesRemoved(),
                plan.moves(),
                plan.waves().stream()
                        .filter(w -> w.action() == StepAction.Move)
                        .map(Wave::moves)
                        .toList(),
                Math.max(1, maxDisruptedNodes));
    }

    public static AddedNode added(String handle) {
        return new AddedNode(
                handle, "m5.xlarge", TestCluster.ZONE, CapacityType.ON_DEMAND, new BigDecimal("0.192"), List.of());
    }

    public static PodMove restart(String pod, String from, String to) {
        return new PodMove(PodKey.parse(pod), from, to, Mobility.RESTART);
    }

    public static PodMove live(String pod, String from, String to) {
        return new PodMove(PodKey.parse(pod), from, to, Mobility.LIVE);
    }

    public static ClusterSnapshot snapshot(KubernetesClient client) throws Exception {
        return new SnapshotReader(InstanceCatalog.bundled())
                .read(new SnapshotExporter(client, InstanceCatalog.bundled()).export("test"), "test cluster");
    }

    /** Creates the plan as a RebalancePlan resource, to be carried out, as a controller named "test" would. */
    public static RebalancePlanResource create(
            KubernetesClient client,
            String name,
            RebalancePlan plan,
            int maxConcurrentMigrations,
            int maxDisruptedNodes)
            throws Exception {
        ClusterSnapshot snapshot = snapshot(client);
        PlanSpec spec = PlanCompiler.compile(
                asPlanned(plan, snapshot, maxDisruptedNodes),
                snapshot,
                "test",
                true,
                maxConcurrentMigrations,
                maxDisruptedNodes);
        RebalancePlanResource resource = new RebalancePlanResource();
        resource.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .addToAnnotations(dev.kompact.executor.crd.KompactApi.CREATED_BY, "test")
                .build());
        resource.setSpec(spec);
        return client.resources(RebalancePlanResource.class).resource(resource).create();
    }
}

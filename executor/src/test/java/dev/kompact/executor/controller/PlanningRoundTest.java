package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.snapshot.ClusterObserver;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.plan.StepAction;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanningRoundTest {

    private final TestCluster cluster = new TestCluster(Duration.ofMillis(20));

    @AfterEach
    void stop() {
        cluster.close();
    }

    /**
     * node-1 runs on spot at under half the on-demand price of node-2 and node-3: with room for every pod, it is where
     * a round would consolidate them, were its end not announced.
     */
    @Test
    void dryRunRoundPlansNoPodOntoANodeAnEvacuationNames() throws Exception {
        cluster.client()
                .nodes()
                .resource(TestCluster.nodeObject(
                        "node-1", "m5.2xlarge", "i-0aaa", Map.of("karpenter.sh/capacity-type", "spot")))
                .create();
        cluster.node("node-2", "m5.2xlarge");
        cluster.node("node-3", "m5.2xlarge");
        for (int i = 1; i <= 3; i++) {
            cluster.replicaPod("shop", "web", "web-" + i, "node-" + i);
        }
        OptimizationPolicy policy = policy();
        // what the interruption listener left: a reported-only evacuation of node-1
        RebalancePlanResource evacuation = new RebalancePlanResource();
        evacuation.setMetadata(
                new ObjectMetaBuilder().withName("evacuate-node-1").build());
        evacuation.setSpec(new PlanSpec());
        evacuation.getSpec().evacuatedNode = "node-1";
        cluster.client()
                .resources(RebalancePlanResource.class)
                .resource(evacuation)
                .create();

        try (ClusterObserver observer = new ClusterObserver(cluster.client(), CatalogSource.bundled(), "test");
                Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.client())) {
            observer.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(observer::isSynced);
            Fabric8PlanStore store = new Fabric8PlanStore(cluster.client());
            PlanPublisher publisher = new PlanPublisher(api, store, "solo", Clock.systemUTC());
            new PlanningRound(
                            observer,
                            api,
                            store,
                            publisher,
                            Optional.empty(),
                            CatalogSource.bundled(),
                            new NoticedNodes(),
                            new ControllerMetrics(new PrometheusRegistry()),
                            Clock.systemUTC())
                    .run(policy, () -> true);
        }

        List<RebalancePlanResource> regular =
                cluster.client().resources(RebalancePlanResource.class).list().getItems().stream()
                        .filter(p -> p.getSpec().evacuatedNode == null)
                        .toList();
        assertThat(regular)
                .singleElement()
                .satisfies(plan -> assertThat(plan.getSpec().waves.stream()
                                .flatMap(w -> w.steps.stream())
                                .filter(s -> s.action == StepAction.Move))
                        .isNotEmpty()
                        .noneMatch(move -> "node-1".equals(move.to)));
    }

    private OptimizationPolicy policy() {
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        OptimizationPolicySpec spec = new OptimizationPolicySpec();
        spec.mode = PolicyMode.DryRun;
        // the search stops once the plan meets its bound (one node); the limit only has to outlast a loaded machine
        spec.solverTimeLimit = "10s";
        spec.instanceTypes = List.of("m5.2xlarge");
        policy.setSpec(spec);
        return cluster.client()
                .resources(OptimizationPolicy.class)
                .resource(policy)
                .create();
    }
}

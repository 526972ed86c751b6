package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Invariants;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster changes under a running plan (two batches: old-1, then old-2); the rest of the plan must stop cleanly
 * with the reason, and old-2 must go back into service.
 */
class PlanExecutorDriftTest {

    TestCluster cluster;
    InMemoryCloud cloud;
    Invariants invariants;
    Fabric8ClusterApi api;

    @BeforeEach
    void twoNodesOnePodEach() {
        cluster = new TestCluster(Duration.ofMillis(20));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        invariants = Invariants.watch(cluster, 1);
        api = new Fabric8ClusterApi(cluster.client());
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("old-2", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        cluster.replicaPod("shop", "web", "web-b", "old-2");
    }

    @AfterEach
    void stopCluster() {
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void abortsPlanWhenPodDisappears() throws Exception {
        createPlan();

        RebalancePlanResource plan = run(
                ExecutorSettings.defaults(),
                afterStep(
                        "terminate-1",
                        () -> cluster.client()
                                .pods()
                                .inNamespace("shop")
                                .withName("web-b")
                                .delete()));

        assertAbortedCleanly(plan, "PodGone", "move-2");
    }

    @Test
    void abortsPlanWhenNodeCordonedBySomeoneElse() throws Exception {
        createPlan();

        RebalancePlanResource plan = run(
                ExecutorSettings.defaults(),
                afterStep(
                        "terminate-1",
                        () -> cluster.client().nodes().withName("old-2").edit(n -> {
                            n.getSpec().setUnschedulable(true);
                            return n;
                        })));

        assertAbortedCleanly(plan, "NodeCordonedByOthers", "taint-2");
    }

    @Test
    void abortsPlanWhenPodDisruptionBudgetTightened() throws Exception {
        cluster.minAvailable("shop", "web", "web", 1);
        createPlan();

        RebalancePlanResource plan = run(
                ExecutorSettings.defaults(),
                afterStep(
                        "terminate-1",
                        () -> cluster.client()
                                .policy()
                                .v1()
                                .podDisruptionBudget()
                                .inNamespace("shop")
                                .withName("web")
                                .edit(p -> {
                                    p.getSpec().setMinAvailable(new IntOrString(2));
                                    return p;
                                })));

        assertAbortedCleanly(plan, "PodDisruptionBudgetChanged", "move-2");
    }

    @Test
    void abortsPlanWhenPodAsksTheDeschedulerNotToBeEvicted() throws Exception {
        createPlan();

        RebalancePlanResource plan = run(
                ExecutorSettings.defaults(),
                afterStep(
                        "terminate-1",
                        () -> cluster.client()
                                .pods()
                                .inNamespace("shop")
                                .withName("web-b")
                                .edit(p -> {
                                    p.getMetadata()
                                            .setAnnotations(Map.of(WellKnownLabels.DESCHEDULER_PREFER_NO_EVICTION, ""));
                                    return p;
                                })));

        assertAbortedCleanly(plan, "PodNotDisruptable", "move-2");
    }

    @Test
    void givesUpWhenBudgetKeepsRefusingEviction() throws Exception {
        cluster.minAvailable("shop", "web", "web", 2);
        createPlan();
        ExecutorSettings patient = new ExecutorSettings(
                Duration.ofMillis(10),
                Duration.ofSeconds(20),
                Duration.ofMillis(500),
                Duration.ofSeconds(20),
                Duration.ofSeconds(5),
                Duration.ofMillis(20),
                Duration.ofMillis(100));

        RebalancePlanResource plan = run(patient, () -> true);

        assertThat(plan.getStatus().phase).isEqualTo(PlanPhase.Failed);
        assertThat(plan.getStatus().reason).isEqualTo("EvictionBlocked");
        StepStatus move = plan.getStatus().step("move-1").orElseThrow();
        assertThat(move.state).isEqualTo(StepState.Failed);
        assertThat(move.attempts).as(move.message).isGreaterThan(1);
        assertThat(cluster.podsOf("shop", "web"))
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("web-a", "web-b");
        assertThat(Nodes.hasTaint(cluster.client().nodes().withName("old-1").get(), KompactApi.DISRUPTED_TAINT))
                .as("old-1 back in service")
                .isFalse();
    }

    @Test
    void abortsPlanWhenNodeDisruptionBudgetIsTakenByAnotherNode() throws Exception {
        cluster.node("left-over", "m5.large");
        cluster.client().nodes().withName("left-over").edit(n -> {
            n.getSpec()
                    .setTaints(List.of(new TaintBuilder()
                            .withKey(KompactApi.DISRUPTED_TAINT)
                            .withEffect("NoSchedule")
                            .build()));
            return n;
        });
        createPlan();

        RebalancePlanResource plan = run(ExecutorSettings.defaults(), () -> true);

        assertThat(plan.getStatus().phase).isEqualTo(PlanPhase.Aborted);
        assertThat(plan.getStatus().reason).isEqualTo("NodeDisruptionBudgetExhausted");
        assertThat(cluster.client().nodes().withName("old-1").get()).isNotNull();
        assertThat(cloud.terminated()).isEmpty();
    }

    private void createPlan() throws Exception {
        Plans.create(
                cluster.client(),
                "p",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1", "old-2"),
                        List.of(
                                Plans.restart("shop/web-a", "old-1", "new-1"),
                                Plans.restart("shop/web-b", "old-2", "new-1"))),
                1,
                1);
    }

    private RebalancePlanResource run(ExecutorSettings base, BooleanSupplier keepGoing) throws Exception {
        ExecutorSettings settings = new ExecutorSettings(
                Duration.ofMillis(10),
                base.nodeReady(),
                base.evictionGiveUp(),
                base.replacementReady(),
                base.drainGrace(),
                base.firstBackoff(),
                base.maxBackoff());
        return new PlanExecutor(
                        api,
                        cloud,
                        Optional.empty(),
                        new Fabric8PlanStore(cluster.client()),
                        CatalogSource.bundled(),
                        settings,
                        ExecutionListener.NONE,
                        Clock.systemUTC())
                .run("p", keepGoing);
    }

    /** Lets the executor go on, and makes the change once the step has succeeded: drift in the middle of a plan. */
    private BooleanSupplier afterStep(String stepId, Runnable change) {
        boolean[] changed = {false};
        return () -> {
            if (!changed[0]) {
                RebalancePlanResource plan = cluster.client()
                        .resources(RebalancePlanResource.class)
                        .withName("p")
                        .get();
                if (plan.getStatus() != null
                        && plan.getStatus()
                                .step(stepId)
                                .map(s -> s.state == StepState.Succeeded)
                                .orElse(false)) {
                    change.run();
                    changed[0] = true;
                }
            }
            return true;
        };
    }

    private void assertAbortedCleanly(RebalancePlanResource plan, String reason, String stoppedAt) {
        assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Aborted);
        assertThat(plan.getStatus().reason).isEqualTo(reason);
        assertThat(plan.getStatus().message).startsWith("step " + stoppedAt + ":");
        List<StepStatus> steps = plan.getStatus().steps;
        int stop = steps.indexOf(plan.getStatus().step(stoppedAt).orElseThrow());
        assertThat(steps.subList(0, stop)).extracting(s -> s.state).containsOnly(StepState.Succeeded);
        assertThat(steps.subList(stop, steps.size())).extracting(s -> s.state).containsOnly(StepState.Skipped);
        assertThat(plan.getStatus().conditions)
                .anyMatch(c -> c.getType().equals("Succeeded")
                        && c.getStatus().equals("False")
                        && c.getReason().equals(reason));
        assertThat(Nodes.hasTaint(cluster.client().nodes().withName("old-2").get(), KompactApi.DISRUPTED_TAINT))
                .as("old-2 back in service")
                .isFalse();
        assertThat(cloud.terminated()).hasSize(1);
        assertThat(cloud.violations()).isEmpty();
        assertThat(invariants.violations()).isEmpty();
    }
}

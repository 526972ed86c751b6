package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.AlternativeOffering;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Invariants;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {

    TestCluster cluster;
    InMemoryCloud cloud;
    Fabric8ClusterApi api;

    @BeforeEach
    void startCluster() {
        cluster = new TestCluster(Duration.ofMillis(30));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(50));
        api = new Fabric8ClusterApi(cluster.client());
    }

    @AfterEach
    void stopCluster() {
        api.close();
        cloud.close();
        cluster.close();
    }

    PlanExecutor executor() {
        return executor(Optional.empty());
    }

    PlanExecutor executor(Optional<Migrator> migrator) {
        return new PlanExecutor(
                api,
                cloud,
                migrator,
                new Fabric8PlanStore(cluster.client()),
                CatalogSource.bundled(),
                PlanExecutorSettings.FAST,
                ExecutionListener.NONE,
                Clock.systemUTC());
    }

    @Test
    void replacesTwoNodesWithOneWaveByWave() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("old-2", "m5.2xlarge");
        cluster.daemonSetPod("proxy-1", "old-1");
        cluster.daemonSetPod("proxy-2", "old-2");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        cluster.replicaPod("shop", "web", "web-b", "old-2");
        Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1", "old-2"),
                        List.of(
                                Plans.restart("shop/web-a", "old-1", "new-1"),
                                Plans.restart("shop/web-b", "old-2", "new-1"))),
                1,
                1);

        RebalancePlanResource done = executor().run("p1", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().steps).allMatch(s -> s.state == StepState.Succeeded);
        assertThat(cluster.client().nodes().list().getItems())
                .extracting(n -> n.getMetadata().getName())
                .containsExactly("ip-10-9-0-1.ec2.internal");
        assertThat(cluster.podsOf("shop", "web"))
                .hasSize(2)
                .allMatch(Pods::isReady)
                .allMatch(p -> p.getSpec().getNodeName().equals("ip-10-9-0-1.ec2.internal"));
        assertThat(cloud.launchedCount()).isEqualTo(1);
        assertThat(cloud.terminated()).hasSize(2);
        assertThat(cloud.violations()).isEmpty();
    }

    @Test
    void launchesTheFirstAlternativeWhenThePlannedOfferingHasNoCapacityAndRecordsIt() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        RebalancePlanResource created = Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1"),
                        List.of(Plans.restart("shop/web-a", "old-1", "new-1"))),
                1,
                1);
        PlanStep provision = created.getSpec().waves.get(0).steps.get(0);
        AlternativeOffering firstAlternative = provision.alternatives.get(0);
        cloud.noCapacityFor(new Offering("m5.xlarge", TestCluster.ZONE));

        RebalancePlanResource done = executor().run("p1", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus launched = done.getStatus().step(provision.id).orElseThrow();
        assertThat(launched.instanceType).isEqualTo(firstAlternative.instanceType);
        assertThat(launched.zone).isEqualTo(firstAlternative.zone);
        assertThat(cluster.client().v1().events().inAnyNamespace().list().getItems())
                .anySatisfy(e -> assertThat(e.getMessage())
                        .contains("instead of the planned m5.xlarge in us-east-1a")
                        .contains("InsufficientInstanceCapacity"));
        assertThat(cloud.violations()).isEmpty();
    }

    @Test
    void movesAtMostMaxConcurrentPodsAtOnceAndBacksOffWhenBudgetRefuses() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        for (String name : List.of("web-a", "web-b", "web-c", "web-d")) {
            cluster.replicaPod("shop", "web", name, "old-1");
        }
        cluster.minAvailable("shop", "web", "web", 3);
        Invariants invariants = Invariants.watch(cluster, 2);
        Plans.create(
                cluster.client(),
                "p2",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1"),
                        List.of(
                                Plans.restart("shop/web-a", "old-1", "new-1"),
                                Plans.restart("shop/web-b", "old-1", "new-1"),
                                Plans.restart("shop/web-c", "old-1", "new-1"),
                                Plans.restart("shop/web-d", "old-1", "new-1"))),
                2,
                1);

        RebalancePlanResource done = executor().run("p2", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(invariants.violations()).isEmpty();
        assertThat(cloud.violations()).isEmpty();
        assertThat(cluster.podsOf("shop", "web")).hasSize(4).allMatch(Pods::isReady);
    }

    @Test
    void givesTheInstanceBackWhenItNeverBecomesAReadyNode() throws Exception {
        cloud.close();
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMinutes(10));
        cluster.node("old-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        Plans.create(
                cluster.client(),
                "slow",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1"),
                        List.of(Plans.restart("shop/web-a", "old-1", "new-1"))),
                1,
                1);
        ExecutorSettings impatient = new ExecutorSettings(
                Duration.ofMillis(10),
                Duration.ofMillis(300),
                Duration.ofSeconds(20),
                Duration.ofSeconds(20),
                Duration.ofSeconds(5),
                Duration.ofMillis(20),
                Duration.ofMillis(200));

        RebalancePlanResource done = new PlanExecutor(
                        api,
                        cloud,
                        Optional.empty(),
                        new Fabric8PlanStore(cluster.client()),
                        CatalogSource.bundled(),
                        impatient,
                        ExecutionListener.NONE,
                        Clock.systemUTC())
                .run("slow", () -> true);

        assertThat(done.getStatus().phase).isEqualTo(PlanPhase.Failed);
        assertThat(done.getStatus().reason).isEqualTo("NodeNotReady");
        assertThat(cloud.terminated())
                .containsExactly(done.getStatus().step("provision-1").orElseThrow().instanceId);
        assertThat(cluster.podsOf("shop", "web"))
                .extracting(p -> p.getMetadata().getName())
                .containsExactly("web-a");
    }

    @Test
    void evictsABarePodThatSaysItIsSafeToEvictAsThePlannerPlannedIt() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.barePod("batch", "scratch", "old-1", Map.of(WellKnownLabels.CA_SAFE_TO_EVICT, "true"));
        Plans.create(
                cluster.client(),
                "bare",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("batch/scratch", "old-1", "keep-1"))),
                1,
                1);

        RebalancePlanResource done = executor().run("bare", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(cluster.client().pods().inNamespace("batch").list().getItems())
                .isEmpty();
        assertThat(cloud.terminated()).hasSize(1);
    }

    @Test
    void onResumeTerminatesNothingWhenTheJournalNamesAnotherNodesInstance() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        Plans.create(
                cluster.client(),
                "edited",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);
        executor().run("edited", () -> !inProgress("edited", "terminate-1"));
        // someone with write access to the plan's status points the step at the instance of a node the plan keeps
        String keptInstance = cluster.client()
                .nodes()
                .withName("keep-1")
                .get()
                .getSpec()
                .getProviderID()
                .replaceAll(".*/", "");
        cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("edited")
                .editStatus(p -> {
                    p.getStatus().step("terminate-1").orElseThrow().instanceId = keptInstance;
                    return p;
                });

        RebalancePlanResource done = executor().run("edited", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Failed);
        assertThat(done.getStatus().reason).isEqualTo("InstanceNotTheNodes");
        assertThat(cloud.terminated()).isEmpty();
    }

    private boolean inProgress(String plan, String step) {
        RebalancePlanResource current = cluster.client()
                .resources(RebalancePlanResource.class)
                .withName(plan)
                .get();
        return current.getStatus() != null
                && current.getStatus()
                        .step(step)
                        .map(s -> s.state == StepState.InProgress)
                        .orElse(false);
    }

    @Test
    void anEvacuationEmptiesItsNodeBeforeTheDeadlineWhileARebalancePlanHoldsTheNodeBudget() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("warned", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "warned");
        // a rebalance plan is under way: its taint on old-1 takes the one node the budget allows
        api.addTaint(
                "old-1",
                new io.fabric8.kubernetes.api.model.TaintBuilder()
                        .withKey(dev.kompact.executor.crd.KompactApi.DISRUPTED_TAINT)
                        .withEffect("NoSchedule")
                        .build());
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
        Plans.create(
                cluster.client(),
                "evacuate",
                Plans.plan(List.of(), List.of("warned"), List.of(Plans.restart("shop/web-a", "warned", "keep-1"))),
                1,
                1);
        cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("evacuate")
                .edit(p -> {
                    p.getSpec().evacuatedNode = "warned";
                    p.getSpec().deadline = deadline.toString();
                    return p;
                });

        RebalancePlanResource done = executor().run("evacuate", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(java.time.Instant.parse(done.getStatus().finishedAt)).isBefore(deadline);
        assertThat(cluster.client().pods().inAnyNamespace().list().getItems())
                .noneMatch(p -> "warned".equals(p.getSpec().getNodeName()));
    }
}

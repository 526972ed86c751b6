package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestAgents;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live move as a handoff between two Pod objects, against the test API server with a ReplicaSet controller and a
 * kubelet on it, and node agents over gRPC and mutual TLS that freeze and restore through that kubelet.
 */
class PodHandoffTest {

    @TempDir
    Path dir;

    TestCluster cluster;
    InMemoryCloud cloud;
    Fabric8ClusterApi api;
    TestAgents agents;
    AgentMigrator migrator;
    Watch readyWatch;
    final AtomicInteger mostReady = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        cluster = new TestCluster(Duration.ofMillis(20));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        api = new Fabric8ClusterApi(cluster.client());
        agents = new TestAgents(cluster, dir).node("old-1", Strategy.POST_COPY).node("keep-1", Strategy.POST_COPY);
        migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        readyWatch = cluster.client().pods().inNamespace("shop").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                int ready = (int) cluster.client().pods().inNamespace("shop").list().getItems().stream()
                        .filter(Pods::isReady)
                        .count();
                mostReady.accumulateAndGet(ready, Math::max);
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    @AfterEach
    void stop() {
        readyWatch.close();
        migrator.close();
        agents.close();
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void handsAPodOffToATargetPodOnTheTargetNodeWithoutEvictingIt() throws Exception {
        Pod source = cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.message).contains("migrated live", "now pod shop/" + move.targetPod + " on keep-1");
        List<Pod> web = cluster.podsOf("shop", "web");
        assertThat(web).singleElement().satisfies(pod -> {
            assertThat(pod.getMetadata().getName()).isEqualTo(move.targetPod);
            assertThat(pod.getSpec().getNodeName()).isEqualTo("keep-1");
            assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("kompact-restore");
            assertThat(Pods.isReady(pod)).isTrue();
            assertThat(Pods.controller(pod).orElseThrow().getUid())
                    .isEqualTo(Pods.controller(source).orElseThrow().getUid());
            assertThat(pod.getMetadata().getAnnotations())
                    .containsEntry(
                            "kompact.dev/handoff-of", source.getMetadata().getUid())
                    .containsEntry("kompact.dev/restore", move.migrationId);
        });
        assertThat(cluster.client().pods().inNamespace("shop").withName("web-a").get())
                .isNull();
        assertThat(agents.runningCopies(
                        source.getMetadata().getUid(),
                        Optional.of(web.get(0).getMetadata().getUid())))
                .isEqualTo(1);
        assertThat(agents.violations()).isEmpty();
        assertThat(cluster.evictions().requests()).as("evictions").isZero();
        assertThat(cluster.replacementsCreated())
                .as("pods the ReplicaSet created")
                .isZero();
        assertThat(mostReady).as("most pods Ready at once").hasValue(1);
        assertThat(cloud.terminated()).hasSize(1);
    }

    @Test
    void aCommitWithAWarningFromTheTargetStillHandsOffAndKeepsTheWarning() throws Exception {
        cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        agents.commitWarning("pod migration m committed, but its pod may be unreachable: the host route to 10.0.1.23");
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.message).contains("migrated live", "may be unreachable: the host route to 10.0.1.23");
        assertThat(cluster.podsOf("shop", "web"))
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("keep-1"));
        assertThat(cluster.evictions().requests()).as("evictions").isZero();
    }

    @Test
    void deletesTheTargetAndEvictsWhenTheRestoreFails() throws Exception {
        Pod source = cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        agents.restoreFails("criu restore: cannot map pages");
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.message).contains("rolled_back", "cannot map pages", "evicting instead", "replaced");
        assertThat(cluster.client()
                        .pods()
                        .inNamespace("shop")
                        .withName(move.targetPod)
                        .get())
                .as("the target pod")
                .isNull();
        assertThat(agents.frozen(source.getMetadata().getUid()))
                .as("source frozen")
                .isFalse();
        assertThat(cluster.evictions().requests()).isEqualTo(1);
        assertThat(cluster.podsOf("shop", "web"))
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("keep-1"))
                .matches(Pods::isReady);
        assertThat(agents.violations()).isEmpty();
    }

    @Test
    void stopsThePlanAndDeletesNeitherPodWhenTheMigrationIsNotConfirmedAnywhere() throws Exception {
        Pod source = cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        agents.restoreLost("the target agent died during the page fetch");
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).isEqualTo(PlanPhase.Failed);
        assertThat(done.getStatus().reason).isEqualTo(StopReasons.MIGRATION_FAILED);
        assertThat(done.getStatus().message).contains("neither pod is deleted", "died during the page fetch");
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(cluster.client().pods().inNamespace("shop").withName("web-a").get())
                .isNotNull();
        assertThat(cluster.client()
                        .pods()
                        .inNamespace("shop")
                        .withName(move.targetPod)
                        .get())
                .isNotNull();
        assertThat(agents.frozen(source.getMetadata().getUid())).isTrue();
        assertThat(cluster.client().nodes().withName("old-1").get()).isNotNull();
        assertThat(cloud.terminated()).isEmpty();
    }

    @Test
    void evictsAPodThatDidNotOptIn() throws Exception {
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("move-1").orElseThrow().message)
                .contains("does not opt in", "kompact.dev/live-migrate", "evicting instead");
        assertThat(agents.migrationsStarted()).isZero();
        assertThat(cluster.evictions().requests()).isEqualTo(1);
    }

    @Test
    void evictsAPodWhoseContainersReportNoRuntimeId() throws Exception {
        cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        cluster.client().pods().inNamespace("shop").withName("web-a").editStatus(p -> {
            p.getStatus().getContainerStatuses().forEach(c -> c.setContainerID(null));
            return p;
        });
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("move-1").orElseThrow().message)
                .contains("container app of pod shop/web-a reports no runtime id", "evicting instead");
        assertThat(agents.migrationsStarted()).isZero();
    }

    @Test
    void leavesAForeignPodOfTheTargetsNameAloneAndEvicts() throws Exception {
        cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        String name = TargetPods.name("web-a", "live-move-1");
        cluster.barePod("shop", name, "keep-1", java.util.Map.of());
        planLiveMove("shop/web-a");

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("move-1").orElseThrow().message)
                .contains("pod " + name + " exists and is not this handoff's target", "evicting instead");
        assertThat(cluster.client().pods().inNamespace("shop").withName(name).get())
                .isNotNull();
        assertThat(agents.migrationsStarted()).isZero();
    }

    @Test
    void evictsWhenTheAgentsOfferNoCommonStrategy() throws Exception {
        agents.node("bare-1");
        cluster.node("bare-1", "m5.2xlarge");
        cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        Plans.create(
                cluster.client(),
                "live",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.live("shop/web-a", "old-1", "bare-1"))),
                1,
                1);

        RebalancePlanResource done = run(() -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("move-1").orElseThrow().message)
                .contains("offer no common strategy", "evicting instead");
        assertThat(agents.migrationsStarted()).isZero();
    }

    @Test
    void refusesAStatefulSetPodWithTheReasonAndEvictsIt() throws Exception {
        assertRefusedAndEvicted("StatefulSet", "StatefulSet pods are refused: their name is their identity");
    }

    @Test
    void refusesAJobPodWithTheReasonAndEvictsIt() throws Exception {
        assertRefusedAndEvicted("Job", "Job pods are refused");
    }

    private void assertRefusedAndEvicted(String kind, String reason) throws Exception {
        cluster.liveOwnedPod("shop", kind, "db", "db-0", "old-1");
        planLiveMove("shop/db-0");

        // nothing here replaces the evicted pod as its controller would: the eviction is where this test ends
        run(() -> cluster.evictions().requests() == 0);

        StepStatus move = cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("live")
                .get()
                .getStatus()
                .step("move-1")
                .orElseThrow();
        assertThat(move.message).contains(reason, "evicting instead");
        assertThat(move.targetPod).isNull();
        assertThat(agents.migrationsStarted()).isZero();
        assertThat(cluster.client().pods().inNamespace("shop").withName("db-0").get())
                .isNull();
    }

    private void planLiveMove(String pod) throws Exception {
        Plans.create(
                cluster.client(),
                "live",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.live(pod, "old-1", "keep-1"))),
                1,
                1);
    }

    private RebalancePlanResource run(BooleanSupplier keepGoing) throws InterruptedException {
        return new PlanExecutor(
                        api,
                        cloud,
                        Optional.of(migrator),
                        new Fabric8PlanStore(cluster.client()),
                        CatalogSource.bundled(),
                        PlanExecutorSettings.FAST,
                        ExecutionListener.NONE,
                        Clock.systemUTC())
                .run("live", keepGoing);
    }
}

package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.testing.Crashes;
import dev.kompact.executor.testing.CrashingPorts;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestAgents;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the controller at every write of a plan that moves one pod live and removes its node (the handoff's target
 * pod, the migration call, the ownership writes and the source's deletion among them), once just before the write
 * and once just after it, starts a fresh executor on the persisted RebalancePlan, and checks the outcome. Committed:
 * one pod of the ReplicaSet, Running and Ready on the target node, one running copy of its processes, nothing evicted
 * and no pod made by the ReplicaSet. A failed restore: the target pod gone, the source thawed, then evicted and
 * replaced.
 */
class PodHandoffCrashTest {

    @TempDir
    static Path dir;

    static TestAgents.Identities identities;

    @BeforeAll
    static void certificates() throws Exception {
        identities = TestAgents.Identities.create(dir);
    }

    @TestFactory
    Stream<DynamicTest> resumesTheHandoffAfterACrashAtEveryWrite() throws Exception {
        return atEveryWrite(false, PodHandoffCrashTest::handedOff);
    }

    @TestFactory
    Stream<DynamicTest> rollsBackToAnEvictionAfterACrashAtEveryWriteOfAFailedRestore() throws Exception {
        return atEveryWrite(true, PodHandoffCrashTest::evictedAfterRollback);
    }

    interface Check {
        void check(Scenario scenario) throws Exception;
    }

    private static Stream<DynamicTest> atEveryWrite(boolean restoreFails, Check outcome) throws Exception {
        int writes;
        try (Scenario clean = new Scenario(restoreFails)) {
            Crashes counting = Crashes.never();
            assertThat(clean.run(counting).getStatus().phase).isEqualTo(PlanPhase.Succeeded);
            writes = counting.count();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int n = 1; n <= writes; n++) {
            for (Crashes.When when : Crashes.When.values()) {
                int at = n;
                tests.add(dynamicTest("crash " + when.name().toLowerCase() + " write " + n + " of " + writes, () -> {
                    try (Scenario scenario = new Scenario(restoreFails)) {
                        assertThatThrownBy(() -> scenario.run(new Crashes(at, when)))
                                .isInstanceOf(Crashes.SimulatedCrash.class);
                        RebalancePlanResource done = scenario.run(Crashes.never());
                        assertThat(done.getStatus().phase)
                                .as(done.getStatus().message)
                                .isEqualTo(PlanPhase.Succeeded);
                        assertThat(scenario.agents.violations()).isEmpty();
                        assertThat(scenario.cloud.terminated()).hasSize(1);
                        outcome.check(scenario);
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** The restore failed: the source ran on, the target pod is gone, and the pod was evicted and replaced. */
    private static void evictedAfterRollback(Scenario scenario) {
        List<Pod> pods =
                scenario.cluster.client().pods().inNamespace("shop").list().getItems();
        assertThat(pods).as("pods of the namespace").singleElement().satisfies(pod -> {
            assertThat(pod.getMetadata().getName()).isNotEqualTo("web-a");
            assertThat(pod.getMetadata().getAnnotations()).doesNotContainKey("kompact.dev/handoff-of");
            assertThat(pod.getSpec().getNodeName()).isEqualTo("keep-1");
            assertThat(Pods.isReady(pod)).isTrue();
        });
        assertThat(scenario.agents.frozen(scenario.source.getMetadata().getUid()))
                .isFalse();
        assertThat(scenario.cluster.evictions().requests()).as("evictions").isPositive();
        assertThat(scenario.cluster.replacementsCreated())
                .as("pods the ReplicaSet made")
                .isEqualTo(1);
    }

    /** Committed: one pod, the target, Ready on the target node; one running copy; nothing evicted or replaced. */
    private static void handedOff(Scenario scenario) {
        // the kubelet stand-in reports Ready on its own loop once the gate is True: the plan may finish first
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> scenario.cluster.client().pods().inNamespace("shop").list().getItems().stream()
                        .allMatch(Pods::isReady));
        List<Pod> pods =
                scenario.cluster.client().pods().inNamespace("shop").list().getItems();
        assertThat(pods).as("pods of the namespace").singleElement().satisfies(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo("keep-1");
            assertThat(Pods.isReady(pod)).isTrue();
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
            assertThat(scenario.agents.runningCopies(
                            scenario.source.getMetadata().getUid(),
                            Optional.of(pod.getMetadata().getUid())))
                    .as("running copies")
                    .isEqualTo(1);
        });
        assertThat(scenario.cluster.evictions().requests()).as("evictions").isZero();
        assertThat(scenario.cluster.replacementsCreated())
                .as("pods the ReplicaSet made")
                .isZero();
    }

    static final class Scenario implements AutoCloseable {
        final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
        final InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        final TestAgents agents;
        final AgentMigrator migrator;
        final Pod source;
        final List<Fabric8ClusterApi> apis = new ArrayList<>();

        Scenario(boolean restoreFails) throws Exception {
            agents = new TestAgents(cluster, identities)
                    .node("old-1", Strategy.POST_COPY)
                    .node("keep-1", Strategy.POST_COPY);
            if (restoreFails) {
                agents.restoreFails("criu restore failed");
            }
            migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
            cluster.node("old-1", "m5.2xlarge");
            cluster.node("keep-1", "m5.2xlarge");
            source = cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
            Plans.create(
                    cluster.client(),
                    "p",
                    Plans.plan(List.of(), List.of("old-1"), List.of(Plans.live("shop/web-a", "old-1", "keep-1"))),
                    1,
                    1);
        }

        RebalancePlanResource run(Crashes crashes) throws InterruptedException {
            Fabric8ClusterApi fabric8 = new Fabric8ClusterApi(cluster.client());
            apis.add(fabric8);
            return new PlanExecutor(
                            CrashingPorts.cluster(fabric8, crashes),
                            CrashingPorts.cloud(cloud, crashes),
                            Optional.of(CrashingPorts.migrator(migrator, crashes)),
                            CrashingPorts.store(new Fabric8PlanStore(cluster.client()), crashes),
                            CatalogSource.bundled(),
                            PlanExecutorSettings.FAST,
                            ExecutionListener.NONE,
                            Clock.systemUTC())
                    .run("p", () -> true);
        }

        @Override
        public void close() {
            apis.forEach(Fabric8ClusterApi::close);
            migrator.close();
            agents.close();
            cloud.close();
            cluster.close();
        }
    }
}

package dev.kompact.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.bench.MigrationBenchmark;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.Phase;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.controller.ControllerMain;
import dev.kompact.executor.crd.HandoffPhase;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14's end-to-end test: the shipped controller ({@link ControllerMain#start}, as {@code kompact controller
 * --live-migration} wires it) with an Auto policy consolidates a {@link LiveCluster}, whose nodes are real.
 */
@Tag("criu")
class LiveMigrationEndToEndTest {
    private static final Logger log = LoggerFactory.getLogger(LiveMigrationEndToEndTest.class);
    private static final String NAMESPACE = LiveCluster.NAMESPACE;

    @TempDir
    static Path workDir;

    static LiveCluster cluster;
    static EmulatedCluster nodes;
    static TestCluster api;
    static InMemoryCloud cloud;
    /** The node every plan keeps (the cheapest, m5.large) and moves pods to. */
    static ContainerdNode b;

    @BeforeAll
    static void startCluster() throws Exception {
        var missing = HostTools.containerdMissing();
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        // the controller's plan and steps, and this test's figures, in the -output.txt; the bundled level is WARN
        // memhog: a pod whose move takes seconds, to stop the controller while the agents are at it
        cluster = LiveCluster.start(workDir, List.of(MigrationBenchmark.compileWorkload(workDir)));
        nodes = cluster.nodes;
        api = cluster.api;
        cloud = cluster.cloud;
        cluster.consolidateAutomatically();
        b = cluster.node("node-b", "10.213.0.50", "m5.large", "i-0b1");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theControllerMovesAPodLiveToTheNodeItKeepsAndTerminatesTheOther() throws Exception {
        ContainerdNode a = cluster.node("node-a", "10.213.0.10", "m5.4xlarge", "i-0a1");
        String replicaSet = api.replicaSet(NAMESPACE, "web");
        Pod source = cluster.runPod(LiveCluster.replicaPod("web-1", "web", replicaSet, a.name(), true));
        LiveCluster.Disruptions disruptionsBefore = cluster.disruptions();
        try (ReplicaSetWatch watch = cluster.watch(replicaSet, "web-");
                CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            client.resetLongestPause();

            RebalancePlanResource plan = cluster.runController();

            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            cluster.assertHandedOff(watch, source, a, b, client, before, disruptionsBefore);
            log.info("the client's longest pause: {} ms", client.longestPauseMillis());
            assertThat(api.client().nodes().withName(a.name()).get())
                    .as("node A")
                    .isNull();
            assertThat(cloud.launchedCount()).isZero();
        }
    }

    @Test
    void aPodThatDidNotOptInIsEvictedNotMigrated() throws Exception {
        ContainerdNode d = cluster.node("node-d", "10.213.0.90", "m5.4xlarge", "i-0d1");
        String replicaSet = api.replicaSet(NAMESPACE, "plain");
        Pod source = cluster.runPod(LiveCluster.replicaPod("plain-1", "plain", replicaSet, d.name(), false));
        int evictionsBefore = api.evictions().requests();

        RebalancePlanResource plan = cluster.runController();

        assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(api.evictions().requests() - evictionsBefore).as("evictions").isEqualTo(1);
        List<Pod> plain = api.client().pods().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(p -> Pods.controller(p)
                        .map(o -> replicaSet.equals(o.getUid()))
                        .orElse(false))
                .toList();
        assertThat(plain).singleElement().satisfies(pod -> {
            assertThat(pod.getMetadata().getName())
                    .as("the ReplicaSet's replacement")
                    .isNotEqualTo("plain-1");
            assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
            assertThat(pod.getSpec().getRuntimeClassName())
                    .as("no restore runtime")
                    .isNull();
            assertThat(Pods.isReady(pod)).isTrue();
        });
        assertThat(api.client().pods().inNamespace(NAMESPACE).list().getItems())
                .as("no handoff target")
                .noneMatch(p -> p.getMetadata().getName().startsWith("plain-1-h"));
        LiveCluster.awaitTrue(
                "no container of the evicted pod runs on " + d.name(),
                () -> d.kubelet()
                        .runningContainers(source.getMetadata().getUid())
                        .isEmpty());
        assertThat(cloud.terminated()).contains("i-0d1");
    }

    /**
     * The target's agent refuses the image (a container adding CAP_SYS_ADMIN is never restored, docs/security.md): the
     * source pod runs on, the target pod object is deleted, and the move falls back to an eviction.
     */
    @Test
    void aRestoreTheTargetRefusesRollsBackAndTheMoveFallsBackToAnEviction() throws Exception {
        ContainerdNode e = cluster.node("node-e", "10.213.0.130", "m5.4xlarge", "i-0e1");
        String replicaSet = api.replicaSet(NAMESPACE, "capped");
        Pod source = cluster.runPod(
                LiveCluster.replicaPod("capped-1", "capped", replicaSet, e.name(), true, List.of("SYS_ADMIN")));
        int evictionsBefore = api.evictions().requests();
        try (ReplicaSetWatch watch = cluster.watch(replicaSet, "capped-")) {

            RebalancePlanResource plan = cluster.runController();

            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            assertThat(plan.getStatus().step("move-1").orElseThrow().message)
                    .contains(
                            "rolled_back", "CAP_SYS_ADMIN", "runs on node " + e.name() + " again", "evicting instead");
            String target = watch.seen().stream()
                    .filter(n -> n.startsWith("capped-1-h"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target pod was made: " + watch.seen()));
            assertThat(api.client()
                            .pods()
                            .inNamespace(NAMESPACE)
                            .withName(target)
                            .get())
                    .as("the target pod")
                    .isNull();
            assertThat(api.evictions().requests() - evictionsBefore)
                    .as("evictions")
                    .isEqualTo(1);
            assertThat(watch.owned()).singleElement().satisfies(pod -> {
                assertThat(pod.getMetadata().getName())
                        .isNotEqualTo(source.getMetadata().getName());
                assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
                assertThat(Pods.isReady(pod)).isTrue();
            });
            assertThat(cloud.terminated()).contains("i-0e1");
        }
    }

    /**
     * The controller stops while the agents are migrating: the source's agent reports the migration under way (a pod
     * holding 256 MiB takes seconds to cross), so neither a call cut off before the agent registered it nor one that
     * already returned. The next replica finds the handoff at {@code Freezing}, asks the source's agent, which answers
     * under way until it commits, and carries the handoff on: one pod, on B, the connection kept, never two Ready,
     * nothing evicted, one migration.
     */
    @Test
    void aControllerStoppedWhileTheAgentsMigrateIsResumedByTheNextReplicaOnceTheyCommit() throws Exception {
        // .250-.253: the ranges below .250 are the other cases' nodes'
        ContainerdNode x = cluster.node("node-h", "10.213.0.250", 4, "m5.4xlarge", "i-0h1");
        String replicaSet = api.replicaSet(NAMESPACE, "slow");
        Pod source = cluster.runPod(LiveCluster.withMemoryHog(
                LiveCluster.replicaPod("slow-1", "slow", replicaSet, x.name(), true), 256, 16));
        Thread.sleep(1000); // memhog touches its memory first
        LiveCluster.Disruptions disruptionsBefore = cluster.disruptions();
        try (ReplicaSetWatch watch = cluster.watch(replicaSet, "slow-");
                CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            int plansBefore = cluster.plans().size();

            Phase seen;
            try (ControllerMain.Running first = cluster.startController("kompact-e2e")) {
                String migrationId = cluster.awaitPlan(
                                plansBefore, plan -> migrationOf(plan).isPresent())
                        .flatMap(LiveMigrationEndToEndTest::migrationOf)
                        .orElseThrow(() -> new AssertionError("no migration was asked for: " + cluster.plans()));
                seen = awaitUnderWay(x, migrationId);
            }
            RebalancePlanResource plan;
            try (ControllerMain.Running second = cluster.startController("kompact-e2e-2")) {
                plan = cluster.awaitPlan(plansBefore, RebalancePlanResource::isFinished)
                        .orElseThrow(() -> new AssertionError("the plan did not finish after the restart"));
            }

            assertThat(seen)
                    .as("the source agent's phase when the controller stopped")
                    .isIn(Phase.CHECKPOINTING, Phase.TRANSFERRING, Phase.RESTORING);
            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            cluster.assertHandedOff(watch, source, x, b, client, before, disruptionsBefore);
            log.info("stopped while {}: the client's longest pause {} ms", seen, client.longestPauseMillis());
        }
    }

    /** The migration a plan's live move asked the agents for, once the step journaled it. */
    private static Optional<String> migrationOf(RebalancePlanResource plan) {
        return plan.getStatus() == null
                ? Optional.empty()
                : plan.getStatus().steps.stream()
                        .filter(s -> s.handoff == HandoffPhase.Freezing && s.migrationId != null)
                        .map(s -> s.migrationId)
                        .findFirst();
    }

    /** Waits until the source's agent has the migration past preparing: its phase then, under way or over. */
    private static Phase awaitUnderWay(ContainerdNode source, String migrationId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                Phase phase = nodes.agent(source.agent())
                        .getMigration(GetMigrationRequest.newBuilder()
                                .setMigrationId(migrationId)
                                .build())
                        .getPhase();
                // past preparing: under way, or already over (which the caller's assertion then reports)
                if (phase != Phase.PHASE_UNSPECIFIED && phase != Phase.PREPARING) {
                    return phase;
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("migration " + migrationId + " never got under way on " + source.name());
    }

    /**
     * The controller stops while a live move's handoff is at {@code phase} (persisted, its next write not yet made:
     * once stopped, it no longer leads and every write is refused), and another replica takes the plan over. It
     * resumes the handoff from the persisted phase with the real agents (a target pod made before is found, not made
     * twice; a migration asked for before is asked about): one pod, on B, the connection kept, never two Ready,
     * nothing evicted. {@link ControllerCrashEndToEndTest} crashes the executor at chosen writes instead.
     */
    @ParameterizedTest
    @EnumSource(
            value = HandoffPhase.class,
            names = {"Target", "Freezing"})
    void aControllerStoppedMidHandoffIsResumedByTheNextReplicaWithOnePod(HandoffPhase phase) throws Exception {
        String app = "resumed-" + phase.name().toLowerCase();
        String instanceId = phase == HandoffPhase.Target ? "i-0f1" : "i-0g1";
        ContainerdNode x = phase == HandoffPhase.Target
                ? cluster.node("node-f", "10.213.0.170", "m5.4xlarge", instanceId)
                : cluster.node("node-g", "10.213.0.210", "m5.4xlarge", instanceId);
        String replicaSet = api.replicaSet(NAMESPACE, app);
        Pod source = cluster.runPod(LiveCluster.replicaPod(app + "-1", app, replicaSet, x.name(), true));
        LiveCluster.Disruptions disruptionsBefore = cluster.disruptions();
        try (ReplicaSetWatch watch = cluster.watch(replicaSet, app + "-");
                CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            int plansBefore = cluster.plans().size();

            try (ControllerMain.Running first = cluster.startController("kompact-e2e")) {
                cluster.awaitPlan(
                                plansBefore,
                                plan -> plan.getStatus() != null
                                        && plan.getStatus().steps.stream().anyMatch(step -> step.handoff == phase))
                        .orElseThrow(() -> new AssertionError("no handoff reached " + phase + ": " + cluster.plans()));
            }
            RebalancePlanResource plan;
            try (ControllerMain.Running second = cluster.startController("kompact-e2e-2")) {
                plan = cluster.awaitPlan(plansBefore, RebalancePlanResource::isFinished)
                        .orElseThrow(() -> new AssertionError("the plan did not finish after the restart"));
            }

            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            cluster.assertHandedOff(watch, source, x, b, client, before, disruptionsBefore);
            log.info("stopped at {}: the client's longest pause {} ms", phase, client.longestPauseMillis());
        }
    }
}

package dev.kompact.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.controller.LiveMigration;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.ExecutionListener;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.migration.DaemonSetAgents;
import dev.kompact.executor.testing.Crashes;
import dev.kompact.executor.testing.CrashingPorts;
import dev.kompact.executor.testing.Plans;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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
 * The controller killed at a write of a live move's handoff, with the real parts: a {@link PlanExecutor} with the
 * {@link AgentMigrator} over the agents found from their DaemonSet (as {@code ControllerMain} wires it), its ports
 * wrapped in {@link CrashingPorts}, carries out a plan that moves a ReplicaSet's pod (a counter server and a sidecar, a
 * client connected to it) from a fresh node X to the kept node B and removes X, on a {@link LiveCluster}. It dies at
 * one write; a fresh executor and migrator, as a restarted controller, resume the persisted RebalancePlan. Each case
 * checks: the plan Succeeded; one pod of the ReplicaSet, Running and Ready on B; never two Ready at once; no container
 * of the source running on X; the client's connection kept and its counter continued; nothing evicted or replaced.
 *
 * <p>The writes crashed at are the ones where a restart has a decision to make with real agents ({@link CrashPoint}):
 * a migration asked for or not, answered or not, a target pod made but not journaled, a source deleted or not. The
 * plan's other writes (taints, the journal's phases, the ownership and condition writes, the node's removal) are
 * idempotent re-writes that {@code PodHandoffCrashTest} crashes at one by one, before and after each, with stand-in
 * agents in a fraction of the time a case here takes (a containerd node started, a pod migrated: 9-23 s, 88 s for
 * the five on 2 shared cores).
 *
 * <p>One more case rolls back: the target's agent refuses the restore and the controller dies just after the
 * migration call returned that refusal, the one write where a restart with real agents must learn a rollback (not a
 * commit) it never journaled.
 */
@Tag("criu")
class ControllerCrashEndToEndTest {
    private static final Logger log = LoggerFactory.getLogger(ControllerCrashEndToEndTest.class);
    private static final String NAMESPACE = LiveCluster.NAMESPACE;
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    static Path workDir;

    static LiveCluster cluster;
    /** The node every plan keeps and moves the pod to. */
    static ContainerdNode b;

    /** Where the controller dies; each case has its own node X (its CNI range and instance). */
    enum CrashPoint {
        /** The target pod exists and the Freezing phase is journaled; no agent has been asked. */
        BEFORE_MIGRATE(Crashes.When.BEFORE, "migrate ", "10.213.0.50"),
        /** The agents committed (the pod runs on B), the controller never heard: the restart must ask, not redo. */
        AFTER_MIGRATE(Crashes.When.AFTER, "migrate ", "10.213.0.90"),
        /** The target pod was created, its creation not journaled: the restart must find it, not make a second. */
        AFTER_TARGET_POD(Crashes.When.AFTER, "create pod ", "10.213.0.130"),
        /** Committed, the target adopted and Ready, the source not yet deleted: two Pod objects, one running copy. */
        BEFORE_SOURCE_DELETED(Crashes.When.BEFORE, "delete pod @", "10.213.0.170"),
        /** The source deleted, the step not finished: the restart must not take the source's absence for a failure. */
        AFTER_SOURCE_DELETED(Crashes.When.AFTER, "delete pod @", "10.213.0.210");

        final Crashes.When when;
        /** The write's name as {@link CrashingPorts} gives it; {@code @} stands for the source pod's name. */
        final String write;

        final String rangeStart;

        CrashPoint(Crashes.When when, String write, String rangeStart) {
            this.when = when;
            this.write = write;
            this.rangeStart = rangeStart;
        }

        Predicate<String> matches(String sourcePod) {
            String name = write.replace("@", sourcePod);
            // "delete pod web-1" must not match "delete pod web-1-h...", the target's
            return write.contains("@") ? name::equals : w -> w.startsWith(name);
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        var missing = HostTools.containerdMissing();
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        cluster = LiveCluster.start(workDir);
        b = cluster.node("node-b", "10.213.0.10", "m5.large", "i-0b1");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aControllerKilledMidHandoffIsResumedToOnePodOnTheKeptNode(CrashPoint crash) throws Exception {
        long started = System.nanoTime();
        String app = crash.name().toLowerCase().replace('_', '-');
        String instanceId = "i-0x" + crash.ordinal();
        ContainerdNode x = cluster.node("node-x" + crash.ordinal(), crash.rangeStart, "m5.4xlarge", instanceId);
        String replicaSet = cluster.api.replicaSet(NAMESPACE, app);
        String podName = app + "-1";
        Pod source = cluster.runPod(LiveCluster.replicaPod(podName, app, replicaSet, x.name(), true));
        LiveCluster.Disruptions disruptionsBefore = cluster.disruptions();
        try (ReplicaSetWatch watch = cluster.watch(replicaSet, app + "-");
                CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            Plans.create(
                    cluster.api.client(),
                    app,
                    Plans.plan(
                            List.of(),
                            List.of(x.name()),
                            List.of(Plans.live(NAMESPACE + "/" + podName, x.name(), b.name()))),
                    1,
                    1);

            Crashes crashes = Crashes.atFirst(crash.matches(podName), crash.when);
            assertThatThrownBy(() -> execute(app, crashes))
                    .as("the writes made: %s", crashes.writes())
                    .isInstanceOf(Crashes.SimulatedCrash.class);
            log.info("{}: crashed after the writes {}", crash, crashes.writes());
            RebalancePlanResource plan = execute(app, Crashes.never());

            log.info("{}: plan {}", crash, plan.getStatus().message);
            plan.getStatus().steps.forEach(s -> log.info("  {} {} {}: {}", s.id, s.state, s.handoff, s.message));
            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            cluster.assertHandedOff(watch, source, x, b, client, before, disruptionsBefore);
            log.info(
                    "{}: the client's longest pause {} ms, the case took {} ms",
                    crash,
                    client.longestPauseMillis(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
    }

    /**
     * The target's agent refuses the restore (a container adding CAP_SYS_ADMIN is never restored, docs/security.md)
     * and the controller dies just after the migration call returned that refusal, before it journaled it: the
     * restarted one must learn from the agents that the migration rolled back (the source thawed on X), delete the
     * target pod and fall back to an eviction. Never both: one target pod made, never two pods Ready at once, the
     * source's containers gone from X, the ReplicaSet's replacement on B.
     */
    @Test
    void aControllerKilledJustAfterARefusedRestoreRollsBackToAnEviction() throws Exception {
        // the /24's last addresses: the five cases above and B hold 40 each from .10
        ContainerdNode x = cluster.node("node-x-refused", "10.213.0.250", 5, "m5.4xlarge", "i-0xr");
        String app = "refused";
        String replicaSet = cluster.api.replicaSet(NAMESPACE, app);
        String podName = app + "-1";
        Pod source =
                cluster.runPod(LiveCluster.replicaPod(podName, app, replicaSet, x.name(), true, List.of("SYS_ADMIN")));
        int evictionsBefore = cluster.api.evictions().requests();
        try (ReplicaSetWatch watch = cluster.watch(replicaSet, app + "-")) {
            Plans.create(
                    cluster.api.client(),
                    app,
                    Plans.plan(
                            List.of(),
                            List.of(x.name()),
                            List.of(Plans.live(NAMESPACE + "/" + podName, x.name(), b.name()))),
                    1,
                    1);

            Crashes crashes = Crashes.atFirst(w -> w.startsWith("migrate "), Crashes.When.AFTER);
            assertThatThrownBy(() -> execute(app, crashes))
                    .as("the writes made: %s", crashes.writes())
                    .isInstanceOf(Crashes.SimulatedCrash.class);
            RebalancePlanResource plan = execute(app, Crashes.never());

            plan.getStatus().steps.forEach(s -> log.info("  {} {} {}: {}", s.id, s.state, s.handoff, s.message));
            assertThat(plan.getStatus().phase).as(plan.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            assertThat(plan.getStatus().step("move-1").orElseThrow().message)
                    .contains(
                            "rolled_back", "CAP_SYS_ADMIN", "runs on node " + x.name() + " again", "evicting instead");
            assertThat(watch.owned()).singleElement().satisfies(pod -> {
                assertThat(pod.getMetadata().getName())
                        .as("the ReplicaSet's replacement")
                        .isNotEqualTo(podName);
                assertThat(pod.getSpec().getNodeName()).isEqualTo(b.name());
                assertThat(Pods.isReady(pod)).isTrue();
            });
            assertThat(watch.seen())
                    .as("target pods made")
                    .filteredOn(n -> n.startsWith(podName + "-h"))
                    .hasSize(1);
            assertThat(cluster.api.client().pods().inNamespace(NAMESPACE).list().getItems())
                    .as("the target pod")
                    .noneMatch(p -> p.getMetadata().getName().startsWith(podName + "-h"));
            assertThat(watch.mostReady())
                    .as("most pods of the ReplicaSet Ready at once")
                    .isEqualTo(1);
            LiveCluster.awaitTrue(
                    "no container of the source pod runs on " + x.name(),
                    () -> x.kubelet()
                            .runningContainers(source.getMetadata().getUid())
                            .isEmpty());
            assertThat(cluster.api.evictions().requests() - evictionsBefore)
                    .as("evictions")
                    .isEqualTo(1);
            assertThat(cluster.cloud.terminated()).contains("i-0xr");
        }
    }

    /**
     * One controller's run of the plan: its own executor, migrator and API client over the agents of the DaemonSet;
     * a crash leaves them as a killed process would (nothing more is written), then they are closed.
     */
    private static RebalancePlanResource execute(String plan, Crashes crashes) throws InterruptedException {
        LiveMigration live = LiveMigration.issued(cluster.nodes.controllerTls(), LiveCluster.AGENT_SELECTOR);
        try (Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.api.client());
                AgentMigrator migrator = new AgentMigrator(
                        live.identity(),
                        new DaemonSetAgents(cluster.api.client(), LiveCluster.AGENTS, live.agentSelector()),
                        MIGRATION_TIMEOUT)) {
            return new PlanExecutor(
                            CrashingPorts.cluster(api, crashes),
                            CrashingPorts.cloud(cluster.cloud, crashes),
                            Optional.of(CrashingPorts.migrator(migrator, crashes)),
                            CrashingPorts.store(new Fabric8PlanStore(cluster.api.client()), crashes),
                            CatalogSource.bundled(),
                            LiveCluster.EXECUTOR,
                            ExecutionListener.NONE,
                            Clock.systemUTC())
                    .run(plan, () -> true);
        }
    }
}

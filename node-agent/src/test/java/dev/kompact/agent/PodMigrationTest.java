package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.runtime.RuncRuntime;
import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.Containerd;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.KubeletStandIn;
import dev.kompact.agent.testing.ProcessWatch;
import dev.kompact.agent.testing.cri.v1.ContainerState;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PodContainer;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes pods moved live between two emulated nodes that each run a real containerd (CRI plugin, runc v2 shim,
 * CNI bridge) with CRIU: a kubelet stand-in runs the source pod and, on the target node, the target pod with
 * RuntimeClass kompact-restore, whose containers the restore wrapper parks until the agent restores them. Needs root,
 * install-test-deps.sh (containerd, CNI plugins, CRIU).
 */
@Tag("criu")
class PodMigrationTest {
    private static final Logger log = LoggerFactory.getLogger(PodMigrationTest.class);
    private static final String SERVER = "exec nc -l -p " + CounterPod.PORT + " -e /bin/counter";
    private static final String SIDECAR = "while true; do sleep 1; done";

    @TempDir
    static Path workDir;

    static EmulatedCluster cluster;
    static ContainerdNode nodeA;
    static ContainerdNode nodeB;
    /** A source that streams slowly (64 KiB/s), so that its agent can be killed mid-transfer. */
    static ContainerdNode slowSource;

    @BeforeAll
    static void startCluster() throws Exception {
        var missing = HostTools.containerdMissing();
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        cluster = EmulatedCluster.create(workDir);
        nodeA = cluster.startContainerdNode("nodeA", "10.213.0.10");
        nodeB = cluster.startContainerdNode("nodeB", "10.213.0.50");
        slowSource = cluster.startContainerdNode("nodeC", "10.213.0.130", "--transfer-bytes-per-second", "65536");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void movesEveryContainerOfThePodKeepingItsConnectionMemoryAndAddress() throws Exception {
        var source = nodeA.kubelet().run(pod("counter-1", "uid-s1", "", Map.of(), List.of()));
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, source.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            client.resetLongestPause();
            CompletableFuture<KubeletStandIn.RunningPod> target =
                    runTarget("counter-1-t", "uid-t1", "m-pod-1", List.of());
            ProcessWatch sourcePod = new ProcessWatch(processes(nodeA, source));

            MigrationStatus status = cluster.agent(nodeA.agent())
                    .migratePod(request("m-pod-1", "counter-1", "uid-s1", "counter-1-t", "uid-t1", source));

            assertThat(status.getPhase()).isEqualTo(Phase.COMMITTED);
            var moved = target.get(60, TimeUnit.SECONDS);
            awaitState(nodeA, source.containerIds().get("server"), ContainerState.CONTAINER_EXITED);
            sourcePod.close();
            assertThat(sourcePod.phases())
                    .as("the source pod ran, was frozen, and never ran again: never two running copies")
                    .isEqualTo("RFX");
            client.awaitMoreExchanges(20, 10_000);
            assertThat(client.error()).isNull();
            assertThat(client.lastCounter())
                    .as("the same connection, the counter continued in the restored memory")
                    .isGreaterThan(before + 20);
            for (String name : List.of("server", "sidecar")) {
                assertThat(nodeB.kubelet().state(moved.containerIds().get(name)))
                        .as(name + " on the target, as CRI reports it")
                        .isEqualTo(ContainerState.CONTAINER_RUNNING);
                awaitState(nodeA, source.containerIds().get(name), ContainerState.CONTAINER_EXITED);
            }
            assertThat(addresses(nodeB, moved.containerIds().get("server")))
                    .as("the target pod has its own address and the source pod's")
                    .contains(moved.ip() + "/24", source.ip() + "/32");
            var t = status.getTimings();
            log.info(
                    "pod migration through containerd: freeze {} ms (checkpoint {} of which CRIU {}, transfer {},"
                            + " restore {} of which CRIU {}), total {} ms, image {} bytes, longest client pause {} ms",
                    t.getFreezeMillis(),
                    t.getCheckpointMillis(),
                    t.getCriuCheckpointMillis(),
                    t.getTransferMillis(),
                    t.getRestoreMillis(),
                    t.getCriuRestoreMillis(),
                    t.getTotalMillis(),
                    status.getImageBytes(),
                    client.longestPauseMillis());
            nodeA.kubelet().remove(source);
            nodeB.kubelet().remove(moved);
        }
    }

    /** A pod that moved once moves again, back to its first node, with the same connection and memory. */
    @Test
    void aPodThatMovedOnceMovesAgain() throws Exception {
        var source = nodeA.kubelet().run(pod("counter-6", "uid-s6", "", Map.of(), List.of()));
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, source.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            var there = runTarget("counter-6-t", "uid-t6", "m-pod-6", List.of());
            assertThat(cluster.agent(nodeA.agent())
                            .migratePod(request("m-pod-6", "counter-6", "uid-s6", "counter-6-t", "uid-t6", source))
                            .getPhase())
                    .isEqualTo(Phase.COMMITTED);
            var moved = there.get(60, TimeUnit.SECONDS);
            client.awaitMoreExchanges(20, 10_000);
            long before = client.lastCounter();
            nodeA.kubelet().remove(source);

            var back = runTarget(nodeA, "counter-6-b", "uid-b6", "m-pod-6b", List.of());
            MigrationStatus status = cluster.agent(nodeB.agent())
                    .migratePod(request(nodeA, "m-pod-6b", "counter-6-t", "uid-t6", "counter-6-b", "uid-b6", moved));

            assertThat(status.getPhase()).as(status.getError()).isEqualTo(Phase.COMMITTED);
            var home = back.get(60, TimeUnit.SECONDS);
            client.awaitMoreExchanges(20, 10_000);
            assertThat(client.error()).isNull();
            assertThat(client.lastCounter())
                    .as("the same connection, the counter continued through both moves")
                    .isGreaterThan(before + 20);
            for (String name : List.of("server", "sidecar")) {
                assertThat(nodeA.kubelet().state(home.containerIds().get(name)))
                        .as(name + " back on its first node")
                        .isEqualTo(ContainerState.CONTAINER_RUNNING);
                awaitState(nodeB, moved.containerIds().get(name), ContainerState.CONTAINER_EXITED);
            }
            assertThat(addresses(nodeA, home.containerIds().get("server")))
                    .as("its own address, and both it held on node B: the first pod's and the second's")
                    .contains(home.ip() + "/24", source.ip() + "/32", moved.ip() + "/32");
            nodeB.kubelet().remove(moved);
            nodeA.kubelet().remove(home);
        }
    }

    /**
     * The target pod asks for a capability beyond the default set: the source's image is never restored into it, the
     * parked creation fails with the agent's reason, and the source pod resumes with its connection.
     */
    @Test
    void refusesATargetPodWithAddedCapabilitiesAndResumesTheSource() throws Exception {
        var source = nodeA.kubelet().run(pod("counter-2", "uid-s2", "", Map.of(), List.of()));
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, source.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            CompletableFuture<KubeletStandIn.RunningPod> target =
                    runTarget("counter-2-t", "uid-t2", "m-pod-2", List.of("CAP_SYS_ADMIN"));
            ProcessWatch sourcePod = new ProcessWatch(processes(nodeA, source));

            assertThatThrownBy(() -> cluster.agent(nodeA.agent())
                            .migratePod(request("m-pod-2", "counter-2", "uid-s2", "counter-2-t", "uid-t2", source)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
                        assertThat(e.getStatus().getDescription())
                                .contains("CAP_SYS_ADMIN")
                                .contains("runs on node nodeA again");
                    });

            assertThatThrownBy(() -> target.get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("aborted by the node agent");
            sourcePod.close();
            assertThat(sourcePod.phases())
                    .as("frozen for the attempt, then running again")
                    .isEqualTo("RFR");
            client.awaitMoreExchanges(20, 10_000);
            assertThat(client.error()).isNull();
            assertThat(client.lastCounter()).isGreaterThan(before + 20);
            for (String name : List.of("server", "sidecar")) {
                assertThat(nodeA.kubelet().state(source.containerIds().get(name)))
                        .isEqualTo(ContainerState.CONTAINER_RUNNING);
            }
            nodeA.kubelet().remove(source);
        }
    }

    /**
     * The source agent dies while the pod is frozen and its image on the way: restarted, it learns from the target
     * that no copy runs there (Abort), and resumes the pod here with its connection; the target pod's parked
     * creation fails.
     */
    @Test
    void restartedSourceAgentResumesThePodItFroze() throws Exception {
        var source = slowSource.kubelet().run(pod("counter-4", "uid-s4", "", Map.of(), List.of()));
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, source.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            CompletableFuture<KubeletStandIn.RunningPod> target =
                    runTarget("counter-4-t", "uid-t4", "m-pod-4", List.of());
            ProcessWatch sourcePod = new ProcessWatch(processes(slowSource, source));
            var request = request("m-pod-4", "counter-4", "uid-s4", "counter-4-t", "uid-t4", source);
            CompletableFuture.runAsync(() -> cluster.agent(slowSource.agent()).migratePod(request));
            cluster.awaitPhase(slowSource.agent(), "m-pod-4", Phase.TRANSFERRING);

            slowSource.agent().kill();
            slowSource.agent().launch();

            assertThatThrownBy(() -> target.get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("aborted by the node agent");
            client.awaitMoreExchanges(20, 15_000);
            sourcePod.close();
            assertThat(client.error()).isNull();
            assertThat(client.lastCounter()).isGreaterThan(before + 20);
            assertThat(sourcePod.phases()).isEqualTo("RFR");
            assertThat(slowSource.agent().log()).contains("m-pod-4 rolled back after an agent restart");
            slowSource.kubelet().remove(source);
        }
    }

    /**
     * The target agent dies after it restored the pod's first container, before the commit: the source cannot learn
     * the outcome and keeps the pod frozen. Restarted, the target kills what it restored; restarted, the source hears
     * Abort answered and resumes the pod: at no time do both copies run.
     */
    @Test
    void targetAgentDyingBeforeTheCommitLeavesOneCopy() throws Exception {
        var source = nodeA.kubelet().run(pod("counter-5", "uid-s5", "", Map.of(), List.of()));
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, source.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            CompletableFuture<KubeletStandIn.RunningPod> target =
                    runTarget("counter-5-t", "uid-t5", "m-pod-5", List.of());
            ProcessWatch sourcePod = new ProcessWatch(processes(nodeA, source));
            var request = request("m-pod-5", "counter-5", "uid-s5", "counter-5-t", "uid-t5", source);
            CompletableFuture<MigrationStatus> migration = CompletableFuture.supplyAsync(
                    () -> cluster.agent(nodeA.agent()).migratePod(request));
            Path restored = AgentProcess.stateDir(workDir, nodeB.name()).resolve("incoming-pods/m-pod-5/restored");
            long deadline = System.currentTimeMillis() + 30_000;
            // the agent appends each restored container's id: the file exists a moment before its first line
            while (firstLine(restored).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(1);
            }

            nodeB.agent().kill();
            assertThatThrownBy(() -> migration.get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("stays frozen on nodeA");
            String server = firstLine(restored).orElseThrow(() -> new AssertionError("nothing restored on nodeB"));
            nodeB.agent().relaunchOnSamePort();
            awaitNotRunning(nodeB, server);
            nodeA.agent().kill();
            nodeA.agent().relaunchOnSamePort();

            client.awaitMoreExchanges(20, 15_000);
            sourcePod.close();
            assertThat(client.error()).isNull();
            assertThat(client.lastCounter()).isGreaterThan(before + 20);
            assertThat(sourcePod.phases()).isEqualTo("RFR");
            nodeA.kubelet().remove(source);
            // the target pod's sidecar stays parked until its wrapper's deadline: the cluster's close removes it
        }
    }

    /** The target's restored container, killed at its agent's start. */
    private static void awaitNotRunning(ContainerdNode node, String containerId) throws InterruptedException {
        RuncRuntime runc = new RuncRuntime(Containerd.k8sRuncRoot(workDir, node.name()));
        long deadline = System.currentTimeMillis() + 10_000;
        while (runc.find(containerId).map(c -> c.running()).orElse(false)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(containerId + " still runs on " + node.name());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void refusesContainersThatAreNotThePodsNamed() throws Exception {
        var source = nodeA.kubelet().run(pod("counter-3", "uid-s3", "", Map.of(), List.of()));
        var request = request("m-pod-3", "counter-3", "uid-s3", "counter-3-t", "uid-t3", source).toBuilder()
                .setSourcePod(PodRef.newBuilder().setNamespace("default").setName("someone-else"))
                .build();

        assertThatThrownBy(() -> cluster.agent(nodeA.agent()).migratePod(request))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription())
                                .contains("io.kubernetes.cri.sandbox-name is 'counter-3', not 'someone-else'"));
        assertThat(nodeA.kubelet().state(source.containerIds().get("server")))
                .isEqualTo(ContainerState.CONTAINER_RUNNING);
        nodeA.kubelet().remove(source);
    }

    private static KubeletStandIn.Pod pod(
            String name, String uid, String handler, Map<String, String> annotations, List<String> serverCaps) {
        return new KubeletStandIn.Pod(
                "default",
                name,
                uid,
                handler,
                annotations,
                List.of(
                        new KubeletStandIn.Container("server", SERVER, serverCaps),
                        new KubeletStandIn.Container("sidecar", SIDECAR)));
    }

    /** The target pod as its node's kubelet runs it: its creations park until the agent restores them. */
    private static CompletableFuture<KubeletStandIn.RunningPod> runTarget(
            String name, String uid, String migrationId, List<String> serverCaps) {
        return runTarget(nodeB, name, uid, migrationId, serverCaps);
    }

    private static CompletableFuture<KubeletStandIn.RunningPod> runTarget(
            ContainerdNode node, String name, String uid, String migrationId, List<String> serverCaps) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return node.kubelet()
                        .run(pod(
                                name,
                                uid,
                                Containerd.RESTORE_HANDLER,
                                Map.of("kompact.dev/restore", migrationId),
                                serverCaps));
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static PodMigrateRequest request(
            String id,
            String source,
            String sourceUid,
            String target,
            String targetUid,
            KubeletStandIn.RunningPod pod) {
        return request(nodeB, id, source, sourceUid, target, targetUid, pod);
    }

    private static PodMigrateRequest request(
            ContainerdNode to,
            String id,
            String source,
            String sourceUid,
            String target,
            String targetUid,
            KubeletStandIn.RunningPod pod) {
        var request = PodMigrateRequest.newBuilder()
                .setMigrationId(id)
                .setTargetAddress(to.agent().address())
                .setTargetNode(to.name())
                .setStrategy(Strategy.STOP_AND_COPY)
                .setSourcePod(PodRef.newBuilder()
                        .setNamespace("default")
                        .setName(source)
                        .setUid(sourceUid))
                .setTargetPod(PodRef.newBuilder()
                        .setNamespace("default")
                        .setName(target)
                        .setUid(targetUid));
        pod.containerIds()
                .forEach((name, containerId) -> request.addContainers(
                        PodContainer.newBuilder().setName(name).setContainerId(containerId)));
        return request.build();
    }

    private static void awaitState(ContainerdNode node, String containerId, ContainerState state)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (node.kubelet().state(containerId) != state) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(containerId + " on " + node.name() + " is "
                        + node.kubelet().state(containerId) + ", not " + state);
            }
            Thread.sleep(50);
        }
    }

    /** Every process of every container of the pod. */
    private static List<Long> processes(ContainerdNode node, KubeletStandIn.RunningPod pod) {
        RuncRuntime runc = new RuncRuntime(Containerd.k8sRuncRoot(workDir, node.name()));
        return pod.containerIds().values().stream()
                .flatMap(id -> runc.processes(id).stream())
                .toList();
    }

    /** The IPv4 addresses inside the network namespace of a container of the node. */
    private static String addresses(ContainerdNode node, String containerId) {
        long pid = new RuncRuntime(Containerd.k8sRuncRoot(workDir, node.name()))
                .processes(containerId)
                .get(0);
        return Commands.check(
                Duration.ofSeconds(10), "nsenter", "--net=/proc/" + pid + "/ns/net", "ip", "-4", "-o", "addr");
    }

    /** The file's first complete line, if it has one yet. */
    private static Optional<String> firstLine(Path file) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "";
        int end = text.indexOf('\n');
        return end < 0 ? Optional.empty() : Optional.of(text.substring(0, end));
    }
}

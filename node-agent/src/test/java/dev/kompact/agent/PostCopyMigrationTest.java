package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only post-copy (lazy pages) does, on real CRIU: chosen first, and the window it cannot roll back. */
@Tag("criu")
class PostCopyMigrationTest {
    @TempDir
    static Path workDir;

    static EmulatedCluster cluster;
    static AgentProcess nodeA;
    static AgentProcess nodeB;
    /** A source that streams images and pages slowly, so that a test can act while the target fetches pages. */
    static AgentProcess slowSource;

    static final Optional<String> missing = HostTools.liveMigrationMissing();

    @BeforeAll
    static void startCluster() throws Exception {
        if (missing.isPresent()) {
            return;
        }
        cluster = EmulatedCluster.create(workDir);
        nodeA = cluster.startAgent("nodeA");
        nodeB = cluster.startAgent("nodeB");
        slowSource = cluster.startAgent("nodeS", "--transfer-bytes-per-second", "400000");
    }

    @BeforeEach
    void needsLiveMigration() {
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
        assumeTrue(
                cluster.agent(nodeA)
                        .capabilities(CapabilitiesRequest.getDefaultInstance())
                        .getStrategiesList()
                        .contains(Strategy.POST_COPY),
                "kernel lacks userfaultfd for lazy pages (criu check --feature uffd-noncoop)");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void isChosenWhenTheRequestNamesNoStrategy() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeA", "lazy1", "10.213.0.21/24");
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            long before = client.lastCounter();

            MigrationStatus status =
                    cluster.agent(nodeA).migrate(request("m-lazy", pod, nodeB).build());

            client.awaitMoreExchanges(10, 10_000);
            assertThat(status.getPhase()).isEqualTo(Phase.COMMITTED);
            assertThat(status.getStrategy()).isEqualTo(Strategy.POST_COPY);
            assertThat(client.lastCounter()).as("same connection, same memory").isGreaterThan(before + 10);
            assertThat(cluster.runs("nodeB", pod.id())).isTrue();
            assertThat(cluster.container("nodeA", pod.id())).isEmpty();
        }
    }

    /**
     * The one window post-copy cannot roll back: the pod runs on the target, part of its memory is still on the frozen
     * source, and the source dies. The pages capped at 400 kB/s and ~4 MB held by the pod keep the window open for
     * seconds.
     */
    @Test
    void losesThePodButNeverRunsTwoCopiesWhenTheSourceDiesWhileTheTargetFetchesPages() throws Exception {
        CounterPod pod = cluster.startCounterPod(
                "nodeS",
                "lazy5",
                "10.213.0.26/24",
                "/bin/sh -c 'x=$(yes | head -c 4000000); while sleep 3600; do :; done'",
                List.of());
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            var source = cluster.agent(slowSource);
            CompletableFuture<MigrationStatus> migration =
                    CompletableFuture.supplyAsync(() -> source.migrate(request("m-lazy-window", pod, nodeB)
                            .setStrategy(Strategy.POST_COPY)
                            .build()));
            awaitRunning("nodeB", pod.id());
            assertThat(cluster.container("nodeS", pod.id()))
                    .as("the source copy is kept")
                    .isPresent();
            assertThat(cluster.runs("nodeS", pod.id()))
                    .as("but stopped, held by CRIU's lazy dump")
                    .isFalse();

            slowSource.kill();

            assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class);
            MigrationStatus onTarget = awaitPhase(nodeB, "m-lazy-window", Phase.FAILED);
            assertThat(onTarget.getError()).contains("did not all arrive").contains("the pod is lost");
            assertThat(cluster.container("nodeB", pod.id()))
                    .as("killed: pages it never got would read as zeroes")
                    .isEmpty();
            assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();

            slowSource.launch();
            assertThat(cluster.container("nodeS", pod.id()))
                    .as("the stale source copy is deleted, never resumed")
                    .isEmpty();
            assertThat(cluster.namespaceExists("nodeS", pod.id())).isFalse();
            assertThat(Files.list(workDir.resolve("nodeS/state/outgoing"))).isEmpty();
            assertThatThrownBy(() -> cluster.agent(nodeB)
                            .abort(AbortRequest.newBuilder()
                                    .setMigrationId("m-lazy-window")
                                    .build()))
                    .hasMessageContaining("must not run again")
                    .hasMessageContaining("lost");
        }
    }

    /**
     * A partition while the target fetches pages: the source falls silent without a reset (its agent stopped). The
     * target must end its copy in seconds, not wait out its 10-minute bound holding a pod that cannot get its memory.
     */
    @Test
    void endsPostCopyOnTheTargetWithinSecondsWhenTheSourceFallsSilent() throws Exception {
        CounterPod pod = cluster.startCounterPod(
                "nodeS",
                "lazy6",
                "10.213.0.27/24",
                "/bin/sh -c 'x=$(yes | head -c 4000000); while sleep 3600; do :; done'",
                List.of());
        var source = cluster.agent(slowSource);
        CompletableFuture<MigrationStatus> migration =
                CompletableFuture.supplyAsync(() -> source.migrate(request("m-lazy-silent", pod, nodeB)
                        .setStrategy(Strategy.POST_COPY)
                        .build()));
        awaitRunning("nodeB", pod.id());
        slowSource.freeze();
        long silentFrom = System.nanoTime();
        try {
            MigrationStatus onTarget = awaitPhase(nodeB, "m-lazy-silent", Phase.FAILED);
            assertThat((System.nanoTime() - silentFrom) / 1_000_000)
                    .as("ms until the target gave up")
                    .isLessThan(20_000);
            assertThat(onTarget.getError()).contains("did not all arrive").contains("the pod is lost");
            assertThat(cluster.container("nodeB", pod.id())).isEmpty();
        } finally {
            slowSource.thaw();
        }
        assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class);
        long deadline = System.currentTimeMillis() + 30_000;
        while (cluster.container("nodeS", pod.id()).isPresent() && System.currentTimeMillis() < deadline) {
            assertThat(cluster.runs("nodeS", pod.id()))
                    .as("the stale source copy never resumes")
                    .isFalse();
            Thread.sleep(100); // runc deletes it once CRIU's lazy dump ended
        }
        assertThat(cluster.container("nodeS", pod.id()))
                .as("the stale source copy is deleted")
                .isEmpty();
    }

    /**
     * The target dies while it fetches pages: its copy ran and served the pod's clients, so the frozen source copy is
     * stale. The source says so (DATA_LOSS) and deletes it, instead of keeping it frozen as "stopped on both nodes",
     * which invites resuming it and silently dropping what the target served.
     */
    @Test
    void answersDataLossAndNeverResumesItsStaleCopyWhenTheTargetDiesWhileFetchingPages() throws Exception {
        AgentProcess doomed = cluster.startAgent("nodeD");
        CounterPod pod = cluster.startCounterPod(
                "nodeS",
                "lazy7",
                "10.213.0.28/24",
                "/bin/sh -c 'x=$(yes | head -c 4000000); while sleep 3600; do :; done'",
                List.of());
        var source = cluster.agent(slowSource);
        CompletableFuture<MigrationStatus> migration =
                CompletableFuture.supplyAsync(() -> source.migrate(request("m-lazy-target-dies", pod, doomed)
                        .setStrategy(Strategy.POST_COPY)
                        .build()));
        awaitRunning("nodeD", pod.id());

        doomed.kill();

        assertThatThrownBy(migration::join).cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
            assertThat(e.getStatus().getDescription()).contains("never resumed");
        });
        assertThat(cluster.container("nodeS", pod.id()))
                .as("the stale source copy is deleted")
                .isEmpty();
        assertThat(cluster.namespaceExists("nodeS", pod.id())).isFalse();
        assertThat(cluster.agent(slowSource)
                        .getMigration(GetMigrationRequest.newBuilder()
                                .setMigrationId("m-lazy-target-dies")
                                .build())
                        .getPhase())
                .isEqualTo(Phase.FAILED);

        doomed.launch();
        assertThat(cluster.container("nodeD", pod.id()))
                .as("the target's restarted agent kills the copy whose memory never all came")
                .isEmpty();
    }

    /**
     * CRIU's page server serves the frozen pod's memory to its first client. On the node's loopback, any host-network
     * process could be that client: it must not even be able to connect while the migration runs, and the migration
     * still commits.
     */
    @Test
    void keepsCriusPageServerOutOfReachOfTheNodesOtherProcesses() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeS", "lazy8", "10.213.0.29/24");
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            var source = cluster.agent(slowSource);
            CompletableFuture<MigrationStatus> migration =
                    CompletableFuture.supplyAsync(() -> source.migrate(request("m-lazy-intruder", pod, nodeB)
                            .setStrategy(Strategy.POST_COPY)
                            .build()));
            Path record = workDir.resolve("nodeS/state/outgoing/m-lazy-intruder/migration.properties");
            int attempts = 0;
            int connected = 0;
            while (!migration.isDone()) {
                int port = Files.exists(record) ? criuPort(record) : 0;
                if (port > 0) {
                    try (Socket intruder = new Socket()) {
                        intruder.connect(new InetSocketAddress("127.0.0.1", port), 100);
                        connected++;
                    } catch (IOException refused) {
                        // nothing of the node's network listens there
                    }
                    attempts++;
                }
                Thread.sleep(2);
            }

            assertThat(migration.join().getPhase()).isEqualTo(Phase.COMMITTED);
            assertThat(attempts).as("tried while the migration ran").isGreaterThan(10);
            assertThat(connected).as("connections to CRIU's page server").isZero();
            long before = client.lastCounter();
            client.awaitMoreExchanges(10, 10_000);
            assertThat(client.lastCounter()).isGreaterThan(before);
        }
    }

    private static int criuPort(Path record) {
        try (var in = Files.newInputStream(record)) {
            Properties p = new Properties();
            p.load(in);
            return Integer.parseInt(p.getProperty("criuPort", "0"));
        } catch (IOException | NumberFormatException e) {
            return 0; // being written
        }
    }

    private static void awaitRunning(String node, String containerId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (cluster.runs(node, containerId)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(containerId + " never ran on " + node);
    }

    private static MigrationStatus awaitPhase(AgentProcess agent, String migrationId, Phase phase)
            throws InterruptedException {
        cluster.awaitPhase(agent, migrationId, phase);
        return cluster.agent(agent)
                .getMigration(GetMigrationRequest.newBuilder()
                        .setMigrationId(migrationId)
                        .build());
    }

    private static MigrateRequest.Builder request(String id, CounterPod pod, AgentProcess target) {
        return MigrateRequest.newBuilder()
                .setMigrationId(id)
                .setContainerId(pod.id())
                .setTargetAddress(target.address())
                .setTargetNode(target.node());
    }
}

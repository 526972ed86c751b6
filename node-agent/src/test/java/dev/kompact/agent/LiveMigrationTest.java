package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kompact.agent.criu.ForgedImages;
import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.CheckpointedContainer;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.transfer.ImageSender;
import dev.kompact.agent.transfer.TransferRate;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.CapabilitiesResponse;
import dev.kompact.agent.v1.EntryType;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageEntry;
import dev.kompact.agent.v1.ImageHeader;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.RestoreRequest;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real CRIU migrations between agents of an emulated cluster, each scenario with every strategy the host supports,
 * and what every strategy shares (requests, image checks); needs root and install-test-deps.sh. What only post-copy
 * does has {@link PostCopyMigrationTest}.
 */
@Tag("criu")
class LiveMigrationTest {
    private static final Logger log = LoggerFactory.getLogger(LiveMigrationTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path workDir;

    static EmulatedCluster cluster;
    static AgentProcess nodeA;
    static AgentProcess nodeB;
    /** A source that streams slowly, so that a test can act mid-transfer. */
    static AgentProcess slowSource;
    /** A target the rollback test kills and restarts. */
    static AgentProcess fragileTarget;
    /** A target that accepts images of 64 KiB at most. */
    static AgentProcess smallTarget;

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
        fragileTarget = cluster.startAgent("nodeT");
        smallTarget = cluster.startAgent("nodeC", "--max-image-bytes", "65536");
    }

    /** Per test, so that each one reports why it was skipped. */
    @BeforeEach
    void needsLiveMigration() {
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Strategy.class,
            names = {"STOP_AND_COPY", "PRE_COPY", "POST_COPY"})
    void keepsTcpConnectionCounterAndAddressAcrossMigration(Strategy strategy) throws Exception {
        assumeOffered(strategy);
        CounterPod pod = cluster.startCounterPod("nodeA", name("keep", strategy), ip(1, strategy));
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            client.resetLongestPause();

            MigrationStatus status =
                    cluster.agent(nodeA).migrate(request(name("m-keep", strategy), pod, nodeB, strategy));

            client.awaitMoreExchanges(20, 10_000);
            assertThat(status.getPhase()).isEqualTo(Phase.COMMITTED);
            assertThat(status.getStrategy()).isEqualTo(strategy);
            assertThat(client.lastCounter())
                    .as("counter continued in the restored memory")
                    .isGreaterThan(before + 20);
            assertThat(cluster.runs("nodeB", pod.id())).isTrue();
            assertThat(cluster.container("nodeA", pod.id())).isEmpty();
            assertThat(cluster.namespaceExists("nodeA", pod.id())).isFalse();
            assertThat(addressIn(EmulatedCluster.namespaceOf("nodeB", pod.id())
                            .getFileName()
                            .toString()))
                    .contains(ip(1, strategy));
            assertThat(Files.list(workDir.resolve("nodeA/state/outgoing")))
                    .as("no image left on the source")
                    .isEmpty();
            assertThat(Files.list(workDir.resolve("nodeB/state/incoming")))
                    .as("no image left on the target")
                    .isEmpty();
            var t = status.getTimings();
            log.info(
                    "{} migration: freeze {} ms (checkpoint {}, transfer {}, restore {}), pages {} ms after, total {} ms,"
                            + " image {} bytes, longest pause seen by the client {} ms",
                    strategy,
                    t.getFreezeMillis(),
                    t.getCheckpointMillis(),
                    t.getTransferMillis(),
                    t.getRestoreMillis(),
                    t.getPagesMillis(),
                    t.getTotalMillis(),
                    status.getImageBytes(),
                    client.longestPauseMillis());
        }
    }

    /**
     * A runc rootfs is writable: what the pod writes between the bundle's early send and the freeze must reach the
     * target with the checkpoint, or the file it keeps open and appends to would have a gap (or CRIU would refuse the
     * restore, the file being of another size than at the dump).
     */
    @ParameterizedTest
    @EnumSource(
            value = Strategy.class,
            names = {"STOP_AND_COPY", "POST_COPY"})
    void keepsWhatThePodWroteToItsRootfsUpToTheFreeze(Strategy strategy) throws Exception {
        assumeOffered(strategy);
        CounterPod pod = cluster.startCounterPod(
                "nodeA",
                name("writer", strategy),
                ip(5, strategy),
                "/bin/sh -c 'exec 3>>/appended; i=0; while :; do i=$((i+1)); echo $i >&3; usleep 10000; done'",
                List.of());
        Path onSource = workDir.resolve("bundles").resolve(pod.id()).resolve("rootfs/appended");
        String id = name("m-writer", strategy);
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            int before = Files.readAllLines(onSource).size();

            MigrationStatus status = cluster.agent(nodeA).migrate(request(id, pod, nodeB, strategy));

            client.awaitMoreExchanges(10, 10_000);
            assertThat(status.getPhase()).isEqualTo(Phase.COMMITTED);
            List<String> onTarget = Files.readAllLines(
                    workDir.resolve("nodeB/state/bundles").resolve(id).resolve("rootfs/appended"));
            assertThat(onTarget.size()).as("it went on appending on the target").isGreaterThan(before);
            assertThat(onTarget)
                    .as("no line lost or repeated across the move")
                    .isEqualTo(IntStream.rangeClosed(1, onTarget.size())
                            .mapToObj(String::valueOf)
                            .toList());
        }
    }

    /**
     * Moved there and back: the first move's restore maps runc's masked paths onto the node's /dev/null, and the second
     * checkpoint must still pass the next target's image check.
     */
    @Test
    void aContainerRestoredOnceMovesAgain() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeA", "twice", "10.213.0.93/24");
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            assertThat(cluster.agent(nodeA)
                            .migrate(request("m-twice-1", pod, nodeB))
                            .getPhase())
                    .isEqualTo(Phase.COMMITTED);
            client.awaitMoreExchanges(10, 10_000);
            long before = client.lastCounter();

            MigrationStatus back = cluster.agent(nodeB).migrate(request("m-twice-2", pod, nodeA));

            assertThat(back.getPhase()).as(back.getError()).isEqualTo(Phase.COMMITTED);
            client.awaitMoreExchanges(10, 10_000);
            assertThat(client.lastCounter()).isGreaterThan(before + 10);
            assertThat(cluster.runs("nodeA", pod.id())).isTrue();
            assertThat(cluster.container("nodeB", pod.id())).isEmpty();
        }
    }

    /** The executor moves several pods at once ({@code maxConcurrentMigrations}), between the same two nodes too. */
    @Test
    void migratesTwoPodsAtOnceBetweenTheSameNodes() throws Exception {
        CounterPod first = cluster.startCounterPod("nodeA", "together-1", "10.213.0.91/24");
        CounterPod second = cluster.startCounterPod("nodeA", "together-2", "10.213.0.92/24");
        try (CounterClient one = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, first.ip(), CounterPod.PORT);
                CounterClient two =
                        CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, second.ip(), CounterPod.PORT)) {
            one.awaitMoreExchanges(10, 5000);
            two.awaitMoreExchanges(10, 5000);
            long oneBefore = one.lastCounter();
            long twoBefore = two.lastCounter();
            var source = cluster.agent(nodeA);

            CompletableFuture<MigrationStatus> moveOne = CompletableFuture.supplyAsync(
                    () -> source.migrate(request("m-together-1", first, nodeB, Strategy.STRATEGY_UNSPECIFIED)));
            CompletableFuture<MigrationStatus> moveTwo = CompletableFuture.supplyAsync(
                    () -> source.migrate(request("m-together-2", second, nodeB, Strategy.STRATEGY_UNSPECIFIED)));

            assertThat(List.of(moveOne.join(), moveTwo.join()))
                    .extracting(MigrationStatus::getPhase)
                    .containsOnly(Phase.COMMITTED);
            one.awaitMoreExchanges(10, 10_000);
            two.awaitMoreExchanges(10, 10_000);
            assertThat(one.lastCounter()).isGreaterThan(oneBefore + 10);
            assertThat(two.lastCounter()).isGreaterThan(twoBefore + 10);
            assertThat(cluster.runs("nodeB", first.id())).isTrue();
            assertThat(cluster.runs("nodeB", second.id())).isTrue();
            assertThat(cluster.container("nodeA", first.id())).isEmpty();
            assertThat(cluster.container("nodeA", second.id())).isEmpty();
        }
    }

    @Test
    void reportsCriuVersionKernelFeaturesAndStrategiesBestFirstAsTheCriuCliSees() {
        CapabilitiesResponse capabilities = cluster.agent(nodeA).capabilities(CapabilitiesRequest.getDefaultInstance());

        String version = Commands.check(Duration.ofSeconds(10), "/usr/local/sbin/criu", "--version")
                .lines()
                .findFirst()
                .orElseThrow();
        assertThat(version).isEqualTo("Version: " + capabilities.getCriuVersion());
        assertThat(capabilities.getDirtyTracking()).isEqualTo(criuFeature("mem_dirty_track"));
        assertThat(capabilities.getLazyPages()).isEqualTo(criuFeature("uffd-noncoop"));
        assertThat(capabilities.getRuntime()).startsWith("runc version");
        List<Strategy> bestFirst = new ArrayList<>();
        if (capabilities.getLazyPages()) {
            bestFirst.add(Strategy.POST_COPY);
        }
        if (capabilities.getDirtyTracking()) {
            bestFirst.add(Strategy.PRE_COPY);
        }
        bestFirst.add(Strategy.STOP_AND_COPY);
        assertThat(capabilities.getStrategiesList()).containsExactlyElementsOf(bestFirst);
    }

    private static boolean criuFeature(String feature) {
        return Commands.run(Duration.ofSeconds(10), "/usr/local/sbin/criu", "check", "--feature", feature)
                        .exitCode()
                == 0;
    }

    /** An emptyDir or hostPath volume is a bind mount from the node: its content would not be on the target. */
    @Test
    void rejectsAContainerThatBindMountsNodeLocalContentAndLeavesItRunning() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeA", "with-volume", "10.213.0.93/24");
        // the agent reads the bundle's config.json: a volume there is what it inspects
        Path config = workDir.resolve("bundles").resolve(pod.id()).resolve("config.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode oci = (ObjectNode) json.readTree(config.toFile());
        oci.withArray("mounts")
                .addObject()
                .put("destination", "/cache")
                .put("type", "bind")
                .put("source", workDir.resolve("node-volume").toString())
                .putArray("options")
                .add("rbind")
                .add("rw");
        json.writeValue(config.toFile(), oci);

        assertThatThrownBy(() -> cluster.agent(nodeA).migrate(request("m-volume", pod, nodeB)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription())
                            .contains(workDir.resolve("node-volume") + " on /cache", "eviction");
                });
        assertThat(cluster.agent(nodeA)
                        .getMigration(GetMigrationRequest.newBuilder()
                                .setMigrationId("m-volume")
                                .build())
                        .getPhase())
                .as("what the executor reads to evict instead")
                .isEqualTo(Phase.REJECTED);
        assertThat(cluster.runs("nodeA", pod.id())).isTrue();
        assertThat(cluster.container("nodeB", pod.id())).isEmpty();
        assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();
    }

    /**
     * INTERNAL is also what a target answers for an unexpected failure after its container ran: with the target then
     * out of reach for Abort, the source must keep its copy stopped, not resume it. The target here is a stand-in
     * agent (real gRPC over mutual TLS, with a node certificate) that fails Restore that way and goes away.
     */
    @Test
    void keepsTheContainerStoppedWhenRestoreAnswersInternalAndAbortFindsNoTarget() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeA", "internal-pod", "10.213.0.91/24");
        CompletableFuture<io.grpc.Server> standIn = new CompletableFuture<>();
        standIn.complete(io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                        new java.net.InetSocketAddress("127.0.0.1", 0),
                        cluster.pki().issue("nodeX").serverCredentials())
                .addService(new NodeAgentGrpc.NodeAgentImplBase() {
                    @Override
                    public void capabilities(
                            CapabilitiesRequest request, StreamObserver<CapabilitiesResponse> response) {
                        response.onNext(CapabilitiesResponse.newBuilder()
                                .setNodeName("nodeX")
                                .addStrategies(Strategy.STOP_AND_COPY)
                                .build());
                        response.onCompleted();
                    }

                    @Override
                    public void prepare(
                            PrepareRequest request, StreamObserver<dev.kompact.agent.v1.PrepareResponse> response) {
                        response.onNext(dev.kompact.agent.v1.PrepareResponse.newBuilder()
                                .setNetworkNamespace("/run/netns/x")
                                .build());
                        response.onCompleted();
                    }

                    @Override
                    public StreamObserver<ImageChunk> transferImage(StreamObserver<TransferImageResponse> response) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(ImageChunk chunk) {}

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onCompleted() {
                                response.onNext(TransferImageResponse.getDefaultInstance());
                                response.onCompleted();
                            }
                        };
                    }

                    @Override
                    public void restore(
                            RestoreRequest request, StreamObserver<dev.kompact.agent.v1.RestoreResponse> response) {
                        response.onError(Status.INTERNAL
                                .withDescription("node nodeX: cannot persist the commit")
                                .asRuntimeException());
                        new Thread(() -> standIn.join().shutdownNow()).start();
                    }
                })
                .build()
                .start());

        MigrateRequest request = MigrateRequest.newBuilder()
                .setMigrationId("m-internal")
                .setContainerId(pod.id())
                .setTargetAddress("127.0.0.1:" + standIn.get().getPort())
                .setTargetNode("nodeX")
                .setStrategy(Strategy.STOP_AND_COPY)
                .build();
        try {
            assertThatThrownBy(() -> cluster.agent(nodeA).migrate(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("answered neither Restore nor Abort");
                    });
            assertThat(cluster.runs("nodeA", pod.id()))
                    .as("the source copy stays stopped")
                    .isFalse();
            assertThat(workDir.resolve("nodeA/state/outgoing/m-internal/checkpoint"))
                    .as("its image kept")
                    .exists();
        } finally {
            standIn.get().shutdownNow();
            // what an operator does once the target says no copy runs there; the other tests expect no leftovers
            Commands.check(
                    Duration.ofSeconds(10),
                    "rm",
                    "-rf",
                    workDir.resolve("nodeA/state/outgoing/m-internal").toString());
        }
    }

    @Test
    void rejectsUnknownContainerWithNotFound() {
        assertThatThrownBy(() -> cluster.agent(nodeA)
                        .migrate(MigrateRequest.newBuilder()
                                .setMigrationId("m-unknown")
                                .setContainerId("no-such-pod")
                                .setTargetAddress(nodeB.address())
                                .setTargetNode("nodeB")
                                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("no-such-pod", "nodeA");
                });
    }

    @ParameterizedTest
    @EnumSource(
            value = Strategy.class,
            names = {"STOP_AND_COPY", "POST_COPY"})
    void rollsBackWhenTargetAgentDiesMidTransfer(Strategy strategy) throws Exception {
        assumeOffered(strategy);
        CounterPod pod = cluster.startCounterPod("nodeS", name("dying-target", strategy), ip(2, strategy));
        String id = name("m-rollback", strategy);
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(20, 5000);
            long before = client.lastCounter();
            CompletableFuture<MigrationStatus> migration = transferringFromSlowSource(id, pod, fragileTarget, strategy);
            // at once: the bundle went before the freeze, only the small checkpoint is left to send
            fragileTarget.kill();

            assertThatThrownBy(migration::join)
                    .hasCauseInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("rolled back")
                    .hasMessageContaining("runs on nodeS again");
            client.awaitMoreExchanges(20, 15_000);
            assertThat(client.lastCounter()).as("same connection, same memory").isGreaterThan(before + 20);
            assertThat(cluster.runs("nodeS", pod.id())).isTrue();
            assertThat(cluster.agent(slowSource)
                            .getMigration(GetMigrationRequest.newBuilder()
                                    .setMigrationId(id)
                                    .build())
                            .getPhase())
                    .isEqualTo(Phase.ROLLED_BACK);

            fragileTarget.launch();
            assertThat(cluster.container("nodeT", pod.id())).isEmpty();
            assertThat(cluster.namespaceExists("nodeT", pod.id())).isFalse();
            assertThat(Files.list(workDir.resolve("nodeT/state/incoming"))).isEmpty();
            assertThat(Files.list(workDir.resolve("nodeT/state/bundles"))).isEmpty();
            assertThat(Files.list(workDir.resolve("nodeS/state/outgoing"))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Strategy.class,
            names = {"STOP_AND_COPY", "POST_COPY"})
    void resumesSourceWhenSourceAgentRestartsMidTransfer(Strategy strategy) throws Exception {
        assumeOffered(strategy);
        CounterPod pod = cluster.startCounterPod("nodeS", name("dying-source", strategy), ip(3, strategy));
        String id = name("m-source-crash", strategy);
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            long before = client.lastCounter();
            CompletableFuture<MigrationStatus> migration = transferringFromSlowSource(id, pod, nodeB, strategy);

            slowSource.kill();
            assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class);
            assertThat(cluster.runs("nodeS", pod.id()))
                    .as("stopped while its agent is down")
                    .isFalse();
            slowSource.launch();

            client.awaitMoreExchanges(10, 20_000);
            assertThat(client.lastCounter()).as("same connection, same memory").isGreaterThan(before + 10);
            assertThat(cluster.runs("nodeS", pod.id())).isTrue();
            assertThat(cluster.container("nodeB", pod.id())).isEmpty();
            assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();
            assertThat(workDir.resolve("nodeB/state/incoming/" + id)).doesNotExist();
            assertThat(Files.list(workDir.resolve("nodeS/state/outgoing"))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Strategy.class,
            names = {"STOP_AND_COPY", "POST_COPY"})
    void rollsBackWhenControllerAbortsMidTransfer(Strategy strategy) throws Exception {
        assumeOffered(strategy);
        CounterPod pod = cluster.startCounterPod("nodeS", name("aborted", strategy), ip(4, strategy));
        String id = name("m-abort", strategy);
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            CompletableFuture<MigrationStatus> migration = transferringFromSlowSource(id, pod, nodeB, strategy);

            var source = cluster.agent(slowSource);
            source.abort(AbortRequest.newBuilder()
                    .setMigrationId(id)
                    .setReason("plan cancelled")
                    .build());

            assertThatThrownBy(migration::join)
                    .hasCauseInstanceOf(StatusRuntimeException.class)
                    .hasMessageContaining("ABORTED")
                    .hasMessageContaining("plan cancelled");
            client.awaitMoreExchanges(10, 15_000);
            assertThat(cluster.runs("nodeS", pod.id())).isTrue();
            assertThat(cluster.container("nodeB", pod.id())).isEmpty();
            assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();
            assertThat(source.abort(AbortRequest.newBuilder().setMigrationId(id).build())
                            .getPhase())
                    .as("aborting again is harmless")
                    .isEqualTo(Phase.ROLLED_BACK);
        }
    }

    @Test
    void refusesAnOversizedImageBeforeTheFreezeWhenTheBundleAloneExceedsTheTargetsBound() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeA", "pod3", "10.213.0.13/24");
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            client.resetLongestPause();

            assertThatThrownBy(() -> cluster.agent(nodeA).migrate(request("m-oversized", pod, smallTarget)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription())
                                .contains("--max-image-bytes", "before the freeze", "still runs on node nodeA");
                    });
            client.awaitMoreExchanges(10, 15_000);
            assertThat(cluster.agent(nodeA)
                            .getMigration(GetMigrationRequest.newBuilder()
                                    .setMigrationId("m-oversized")
                                    .build())
                            .getPhase())
                    .isEqualTo(Phase.REJECTED);
            assertThat(client.longestPauseMillis()).as("never frozen").isLessThan(500);
            assertThat(cluster.container("nodeA", pod.id()))
                    .hasValueSatisfying(c -> assertThat(c.running()).isTrue());
            assertThat(cluster.container("nodeC", pod.id())).isEmpty();
            assertThat(cluster.namespaceExists("nodeC", pod.id())).isFalse();
        }
    }

    @Test
    void rejectsUnreachableTargetAndLeavesSourceRunning() throws Exception {
        CounterPod pod = cluster.startCounterPod("nodeA", "pod4", "10.213.0.14/24");
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);
            client.resetLongestPause();

            assertThatThrownBy(() -> cluster.agent(nodeA)
                            .migrate(MigrateRequest.newBuilder()
                                    .setMigrationId("m-unreachable")
                                    .setContainerId(pod.id())
                                    .setTargetAddress("127.0.0.1:1")
                                    .setTargetNode("nowhere")
                                    .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("unreachable", "still runs on nodeA");
                    });
            client.awaitMoreExchanges(10, 5000);
            assertThat(client.longestPauseMillis())
                    .as("the pod was never frozen")
                    .isLessThan(500);
            assertThat(cluster.container("nodeA", pod.id()))
                    .hasValueSatisfying(c -> assertThat(c.running()).isTrue());
        }
    }

    @Test
    void rejectsCorruptImageStreamAndAbortLeavesNothing() throws Exception {
        var target = cluster.asAgentOf("nodeA", nodeB);
        target.prepare(PrepareRequest.newBuilder()
                .setMigrationId("m-corrupt")
                .setContainerId("ghost")
                .setSourceNode("nodeA")
                .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                        .setAddressCidr("10.213.0.99/24")
                        .setInterfaceName("eth0"))
                .build());
        assertThat(cluster.namespaceExists("nodeB", "ghost")).isTrue();

        Status status = sendImage(
                nodeB,
                List.of(
                        ImageChunk.newBuilder()
                                .setHeader(ImageHeader.newBuilder()
                                        .setMigrationId("m-corrupt")
                                        .setTotalBytes(4))
                                .build(),
                        ImageChunk.newBuilder()
                                .setEntry(ImageEntry.newBuilder()
                                        .setPath("checkpoint/../../escape")
                                        .setType(EntryType.FILE)
                                        .setSize(4))
                                .build()));
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("corrupt image", "'..'");

        target.abort(AbortRequest.newBuilder()
                .setMigrationId("m-corrupt")
                .setReason("test")
                .build());
        assertThat(cluster.namespaceExists("nodeB", "ghost")).isFalse();
        assertThat(workDir.resolve("nodeB/state/incoming/m-corrupt")).doesNotExist();
        assertThat(workDir.resolve("escape")).doesNotExist();
    }

    /**
     * A source agent (compromised, or lying) sends a bundle whose config.json would give the restored container the
     * host's root filesystem and CAP_SYS_ADMIN: the target refuses it on its own rules and keeps nothing of it.
     */
    @Test
    void refusesAReceivedBundleThatAsksForMoreThanAMigratedContainerMayHave() throws Exception {
        var target = cluster.asAgentOf("nodeA", nodeB);
        target.prepare(PrepareRequest.newBuilder()
                .setMigrationId("m-hostile")
                .setContainerId("ghost4")
                .setSourceNode("nodeA")
                .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                        .setAddressCidr("10.213.0.96/24")
                        .setInterfaceName("eth0"))
                .build());
        Path bundle = Files.createDirectories(workDir.resolve("hostile-source/bundle/rootfs"))
                .getParent();
        Commands.check(Duration.ofSeconds(10), "runc", "spec", "--bundle", bundle.toString());
        ObjectNode config =
                (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        config.withArray("mounts")
                .addObject()
                .put("destination", "/host")
                .put("source", "/")
                .put("type", "none")
                .putArray("options")
                .add("rbind");
        config.with("process").with("capabilities").withArray("effective").add("CAP_SYS_ADMIN");
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);

        Status status = sendImage(nodeB, stream("m-hostile", workDir.resolve("hostile-source"), "bundle"));

        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("mount of / (none) on /host", "CAP_SYS_ADMIN");
        assertThat(workDir.resolve("nodeB/state/bundles/m-hostile")).doesNotExist();
        target.abort(AbortRequest.newBuilder().setMigrationId("m-hostile").build());
        assertThat(cluster.namespaceExists("nodeB", "ghost4")).isFalse();
    }

    /**
     * A source agent (compromised, or lying) sends a real checkpoint whose core image it rewrote to give the task
     * CAP_SYS_ADMIN, which CRIU would apply as root at restore whatever config.json says: the target refuses the final
     * image, keeps nothing of it, and the migration waits for a valid one or its abort.
     */
    @Test
    void refusesAFinalImageWhoseTaskHoldsACapabilityItsBundleDoesNotGrant() throws Exception {
        var target = cluster.asAgentOf("nodeA", nodeB);
        target.prepare(PrepareRequest.newBuilder()
                .setMigrationId("m-forged")
                .setContainerId("ghost5")
                .setSourceNode("nodeA")
                .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                        .setAddressCidr("10.213.0.95/24")
                        .setInterfaceName("eth0"))
                .build());
        Path source = CheckpointedContainer.dump(workDir, "forged-source");
        ForgedImages.raiseCapability(source.resolve("checkpoint"), 1, ForgedImages.CAP_SYS_ADMIN);

        assertThat(sendImage(nodeB, stream("m-forged", source, "bundle")).getCode())
                .isEqualTo(Status.Code.OK);
        Status status = sendImage(nodeB, stream("m-forged", source, "checkpoint"));

        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription())
                .contains("checkpoint of ghost5 from node nodeA would restore more than its bundle grants")
                .contains("core-1.img thread_core.creds.cap_eff has CAP_SYS_ADMIN");
        assertThat(workDir.resolve("nodeB/state/incoming/m-forged/checkpoint")).doesNotExist();
        assertThat(cluster.agent(nodeB)
                        .getMigration(GetMigrationRequest.newBuilder()
                                .setMigrationId("m-forged")
                                .build())
                        .getPhase())
                .isEqualTo(Phase.PREPARED);
        target.abort(AbortRequest.newBuilder().setMigrationId("m-forged").build());
        assertThat(cluster.namespaceExists("nodeB", "ghost5")).isFalse();
    }

    /** Another node's agent holds a valid certificate of the same CA: it still cannot touch nodeA's migration. */
    @Test
    void aPreparedMigrationAcceptsOnlyTheAgentThatPreparedIt() throws Exception {
        cluster.asAgentOf("nodeA", nodeB)
                .prepare(PrepareRequest.newBuilder()
                        .setMigrationId("m-bound")
                        .setContainerId("ghost3")
                        .setSourceNode("nodeA")
                        .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                                .setAddressCidr("10.213.0.97/24")
                                .setInterfaceName("eth0"))
                        .build());
        var intruder = cluster.asAgentOf("nodeC", nodeB);

        for (Runnable call : List.<Runnable>of(
                () -> intruder.restore(
                        RestoreRequest.newBuilder().setMigrationId("m-bound").build()),
                () -> intruder.abort(
                        AbortRequest.newBuilder().setMigrationId("m-bound").build()))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        Path bundle = Files.createDirectories(workDir.resolve("bound-source/bundle"));
        Files.writeString(bundle.resolve("config.json"), "{}");
        assertThat(sendImage("nodeC", nodeB, stream("m-bound", workDir.resolve("bound-source"), "bundle"))
                        .getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(cluster.namespaceExists("nodeB", "ghost3")).as("untouched").isTrue();
        assertThat(workDir.resolve("nodeB/state/bundles/m-bound")).doesNotExist();

        cluster.asAgentOf("nodeA", nodeB)
                .abort(AbortRequest.newBuilder().setMigrationId("m-bound").build());
        assertThat(cluster.namespaceExists("nodeB", "ghost3")).isFalse();
    }

    @Test
    void receivesPreCopyRoundsInOrderAndChecksTheChainOfTheFinalImage() throws Exception {
        var target = cluster.asAgentOf("nodeA", nodeB);
        target.prepare(PrepareRequest.newBuilder()
                .setMigrationId("m-chain")
                .setContainerId("ghost2")
                .setSourceNode("nodeA")
                .setNetwork(dev.kompact.agent.v1.PodNetwork.newBuilder()
                        .setAddressCidr("10.213.0.98/24")
                        .setInterfaceName("eth0"))
                .build());
        Path source = Files.createDirectories(workDir.resolve("chain-source"));
        for (String round : List.of("pre-1", "pre-2")) {
            Files.write(Files.createDirectories(source.resolve(round)).resolve("pages-1.img"), new byte[4096]);
        }
        Commands.check(
                Duration.ofSeconds(10),
                "runc",
                "spec",
                "--bundle",
                Files.createDirectories(source.resolve("bundle")).toString());
        Files.createSymbolicLink(
                Files.createDirectories(source.resolve("checkpoint")).resolve("parent"), Path.of("../pre-7"));

        Status skipped = sendImage(nodeB, stream("m-chain", source, "pre-2"));
        assertThat(skipped.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(skipped.getDescription()).contains("'pre-2'", "pre-1 (the next pre-copy round)");
        assertThat(sendImage(nodeB, stream("m-chain", source, "pre-1")).getCode())
                .isEqualTo(Status.Code.OK);
        Status early = sendImage(nodeB, stream("m-chain", source, "checkpoint"));
        assertThat(early.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(early.getDescription()).contains("before its bundle");
        assertThat(sendImage(nodeB, stream("m-chain", source, "bundle")).getCode())
                .isEqualTo(Status.Code.OK);
        Status broken = sendImage(nodeB, stream("m-chain", source, "checkpoint"));
        assertThat(broken.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(broken.getDescription()).contains("checkpoint's parent is '../pre-7', expected '../pre-1'");
        assertThat(workDir.resolve("nodeB/state/incoming/m-chain/checkpoint"))
                .as("rejected image deleted")
                .doesNotExist();
        assertThat(cluster.agent(nodeB)
                        .getMigration(GetMigrationRequest.newBuilder()
                                .setMigrationId("m-chain")
                                .build())
                        .getPhase())
                .as("still waiting for a valid final image")
                .isEqualTo(Phase.PREPARED);

        target.abort(AbortRequest.newBuilder()
                .setMigrationId("m-chain")
                .setReason("test")
                .build());
        assertThat(workDir.resolve("nodeB/state/incoming/m-chain")).doesNotExist();
        assertThat(workDir.resolve("nodeB/state/bundles/m-chain")).doesNotExist();
    }

    private static List<ImageChunk> stream(String migrationId, Path source, String root) {
        List<ImageChunk> chunks = new java.util.ArrayList<>();
        new ImageSender(migrationId, Map.of(root, source.resolve(root)), new TransferRate(0)).send(chunks::add);
        return chunks;
    }

    private static Status sendImage(AgentProcess target, List<ImageChunk> chunks) throws Exception {
        return sendImage("nodeA", target, chunks);
    }

    /** @param sender the node whose agent sends */
    private static Status sendImage(String sender, AgentProcess target, List<ImageChunk> chunks) throws Exception {
        ManagedChannel channel = cluster.peerChannel(sender, target);
        CompletableFuture<Status> done = new CompletableFuture<>();
        var requests = NodeAgentGrpc.newStub(channel).transferImage(new StreamObserver<TransferImageResponse>() {
            @Override
            public void onNext(TransferImageResponse value) {}

            @Override
            public void onError(Throwable t) {
                done.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                done.complete(Status.OK);
            }
        });
        chunks.forEach(requests::onNext);
        requests.onCompleted();
        return done.get(30, TimeUnit.SECONDS);
    }

    private static String addressIn(String namespace) {
        return Commands.run(Duration.ofSeconds(5), "ip", "-n", namespace, "-4", "-o", "addr", "show")
                .output();
    }

    static MigrateRequest request(String id, CounterPod pod, AgentProcess target) {
        return request(id, pod, target, Strategy.STOP_AND_COPY);
    }

    static MigrateRequest request(String id, CounterPod pod, AgentProcess target, Strategy strategy) {
        return MigrateRequest.newBuilder()
                .setMigrationId(id)
                .setContainerId(pod.id())
                .setTargetAddress(target.address())
                .setTargetNode(target.node())
                .setStrategy(strategy)
                .build();
    }

    /** A migration from the slow source, under way and sending its image when this returns. */
    private static CompletableFuture<MigrationStatus> transferringFromSlowSource(
            String id, CounterPod pod, AgentProcess target, Strategy strategy) throws InterruptedException {
        var source = cluster.agent(slowSource);
        CompletableFuture<MigrationStatus> migration =
                CompletableFuture.supplyAsync(() -> source.migrate(request(id, pod, target, strategy)));
        cluster.awaitPhase(slowSource, id, Phase.TRANSFERRING);
        return migration;
    }

    /** Pre-copy needs the kernel's soft-dirty tracking, post-copy userfaultfd: run where the agents offer them. */
    private static void assumeOffered(Strategy strategy) {
        List<Strategy> offered = cluster.agent(nodeA)
                .capabilities(CapabilitiesRequest.getDefaultInstance())
                .getStrategiesList();
        assumeTrue(
                offered.contains(strategy),
                () -> strategy + " is not offered on this host (kernel features: " + offered
                        + "; pre-copy needs criu check --feature mem_dirty_track)");
    }

    /** Names of a scenario's pod and migration, distinct per strategy. */
    private static String name(String base, Strategy strategy) {
        return base + "-" + strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The pod's address: host {@code n} of the strategy's block of twenty. */
    private static String ip(int n, Strategy strategy) {
        return "10.213.0." + (20 * strategy.getNumber() + n) + "/24";
    }
}

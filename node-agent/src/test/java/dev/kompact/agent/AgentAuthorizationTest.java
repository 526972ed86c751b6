package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.HealthRequest;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageHeader;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.PodNetwork;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.RestoreRequest;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may make which call, as the peer's certificate says, and which identifiers a call may carry; every refusal
 * happens before anything is touched. Real agent, real certificates from a test CA (needs openssl, not root).
 */
class AgentAuthorizationTest {
    private static final String OVER_LONG = "m".repeat(65);

    @TempDir
    static Path dir;

    static TestPki pki;
    static TlsFiles controller;
    static TlsFiles nodeA;
    static TlsFiles nodeC;
    /** One for every test: each call it refuses leaves it as it was, which the tests check. */
    static AgentServer agent;

    final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void startAgent() throws Exception {
        assumeTrue(
                HostTools.opensslMissing().isEmpty(),
                () -> HostTools.opensslMissing().orElseThrow());
        pki = TestPki.create(dir, "cluster-ca");
        controller = pki.issue("controller");
        nodeA = pki.issue("node-a");
        nodeC = pki.issue("node-c");
        agent = AgentServer.start(new AgentConfig(
                "node-b",
                "127.0.0.1",
                0,
                dir.resolve("state"),
                dir.resolve("runc"),
                "unused-bridge",
                TestRun.PREFIX,
                pki.issue("node-b"),
                AgentConfig.DEFAULT_MAX_IMAGE_BYTES,
                AgentConfig.DEFAULT_MAX_IMAGE_ENTRIES,
                0,
                AgentConfig.DEFAULT_LIBCRIU,
                AgentConfig.DEFAULT_CRIU,
                AgentConfig.PodNetworkType.BRIDGE));
    }

    @AfterEach
    void closeChannels() throws Exception {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void refusesAnAgentCallingTheControllersCalls() {
        var asAgent = stub(nodeA);
        assertDenied(() -> asAgent.migrate(migrate("m-1", "pod-1")));
        assertDenied(() -> asAgent.getMigration(
                GetMigrationRequest.newBuilder().setMigrationId("m-1").build()));
    }

    @Test
    void refusesTheControllerCallingTheAgentToAgentCalls() throws Exception {
        var asController = stub(controller);
        assertDenied(() -> asController.prepare(prepare("m-2", "pod-2", "node-a")));
        assertDenied(() -> asController.restore(
                RestoreRequest.newBuilder().setMigrationId("m-2").build()));
        assertThat(transferImage(controller, "m-2").getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertNothingTouched();
    }

    @Test
    void refusesAnAgentPreparingAMigrationFromAnotherNode() throws Exception {
        assertDenied(() -> stub(nodeC).prepare(prepare("m-3", "pod-3", "node-a")));
        assertNothingTouched();
    }

    @Test
    void refusesEveryCallButHealthFromACertificateNamingNoIdentity() throws Exception {
        TlsFiles anonymous = pki.issue("anonymous", "");
        var stub = stub(anonymous);
        assertThat(stub.health(HealthRequest.getDefaultInstance()).getNodeName())
                .isEqualTo("node-b");
        assertDenied(() -> stub.capabilities(CapabilitiesRequest.getDefaultInstance()));
        assertDenied(() -> stub.migrate(migrate("m-4", "pod-4")));
        assertDenied(() -> stub.prepare(prepare("m-4", "pod-4", "node-a")));
        assertDenied(
                () -> stub.abort(AbortRequest.newBuilder().setMigrationId("m-4").build()));
        assertThat(transferImage(anonymous, "m-4").getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertNothingTouched();
    }

    @Test
    void getMigrationDoesNotReadAHostFileNamedByAnAbsoluteId() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "host secret");
        assertThatThrownBy(() -> stub(controller)
                        .getMigration(GetMigrationRequest.newBuilder()
                                .setMigrationId(secret.toString())
                                .build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).doesNotContain("host secret");
                });
    }

    static Stream<String> badIds() {
        return Stream.of("a/b", "..", "../../etc", "/etc/passwd", "", OVER_LONG);
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void getMigrationRejectsAnIdThatIsNoPlainName(String id) {
        assertInvalid(() -> stub(controller)
                .getMigration(
                        GetMigrationRequest.newBuilder().setMigrationId(id).build()));
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void abortRejectsAnIdThatIsNoPlainName(String id) {
        assertInvalid(() -> stub(controller)
                .abort(AbortRequest.newBuilder().setMigrationId(id).build()));
        assertInvalid(() ->
                stub(nodeA).abort(AbortRequest.newBuilder().setMigrationId(id).build()));
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void migrateRejectsIdsThatAreNoPlainNames(String id) {
        assertInvalid(() -> stub(controller).migrate(migrate(id, "pod-5")));
        assertInvalid(() -> stub(controller).migrate(migrate("m-5", id)));
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void prepareRejectsIdsThatAreNoPlainNames(String id) throws Exception {
        assertInvalid(() -> stub(nodeA).prepare(prepare(id, "pod-6", "node-a")));
        assertInvalid(() -> stub(nodeA).prepare(prepare("m-6", id, "node-a")));
        assertNothingTouched();
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void restoreRejectsAnIdThatIsNoPlainName(String id) {
        assertInvalid(() -> stub(nodeA)
                .restore(RestoreRequest.newBuilder().setMigrationId(id).build()));
    }

    @ParameterizedTest
    @MethodSource("badIds")
    void transferImageRejectsAnIdThatIsNoPlainName(String id) throws Exception {
        assertThat(transferImage(nodeA, id).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertNothingTouched();
    }

    @Test
    void prepareRejectsAnInterfaceNameOrAddressThatIsNoPlainValue() throws Exception {
        for (Consumer<PodNetwork.Builder> bad : List.<Consumer<PodNetwork.Builder>>of(
                n -> n.setInterfaceName("../eth0"),
                n -> n.setInterfaceName(""),
                n -> n.setInterfaceName("e".repeat(16)),
                n -> n.setAddressCidr("10.213.0.10"),
                n -> n.setAddressCidr("10.213.0.300/24"),
                n -> n.setAddressCidr("10.213.0.10/24 dev lo"),
                n -> n.setAddressCidr(""))) {
            PrepareRequest.Builder request = prepare("m-7", "pod-7", "node-a").toBuilder();
            bad.accept(request.getNetworkBuilder());
            assertInvalid(() -> stub(nodeA).prepare(request.build()));
        }
        assertInvalid(() ->
                stub(nodeA).prepare(prepare("m-7", "pod-7", "").toBuilder().build()));
        assertNothingTouched();
    }

    @Test
    void migrateAndRestoreRejectAnAddressThatIsNoHostPort() {
        for (String address : List.of("", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "host:80/x", "-x:80")) {
            assertInvalid(() -> stub(controller)
                    .migrate(migrate("m-8", "pod-8").toBuilder()
                            .setTargetAddress(address)
                            .build()));
            if (!address.isEmpty()) {
                assertInvalid(() -> stub(nodeA)
                        .restore(RestoreRequest.newBuilder()
                                .setMigrationId("m-8")
                                .setPageServerAddress(address)
                                .build()));
            }
        }
        assertInvalid(() -> stub(controller)
                .migrate(migrate("m-8", "pod-8").toBuilder()
                        .setTargetNode("../b")
                        .build()));
    }

    private static MigrateRequest migrate(String id, String containerId) {
        return MigrateRequest.newBuilder()
                .setMigrationId(id)
                .setContainerId(containerId)
                .setTargetAddress("127.0.0.1:1")
                .setTargetNode("node-c")
                .build();
    }

    private static PrepareRequest prepare(String id, String containerId, String sourceNode) {
        return PrepareRequest.newBuilder()
                .setMigrationId(id)
                .setContainerId(containerId)
                .setSourceNode(sourceNode)
                .setNetwork(PodNetwork.newBuilder().setInterfaceName("eth0").setAddressCidr("10.213.0.10/24"))
                .build();
    }

    private NodeAgentGrpc.NodeAgentBlockingStub stub(TlsFiles caller) {
        return NodeAgentGrpc.newBlockingStub(channel(caller)).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private ManagedChannel channel(TlsFiles caller) {
        ManagedChannel channel = caller.channelTo("127.0.0.1:" + agent.port());
        channels.add(channel);
        return channel;
    }

    private Status transferImage(TlsFiles caller, String migrationId) throws Exception {
        CompletableFuture<Status> done = new CompletableFuture<>();
        var requests = NodeAgentGrpc.newStub(channel(caller))
                .transferImage(new StreamObserver<TransferImageResponse>() {
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
        requests.onNext(ImageChunk.newBuilder()
                .setHeader(ImageHeader.newBuilder().setMigrationId(migrationId).setTotalBytes(0))
                .build());
        requests.onCompleted();
        return done.get(30, TimeUnit.SECONDS);
    }

    private void assertNothingTouched() throws Exception {
        for (String sub : List.of("incoming", "bundles", "committed", "lost")) {
            Path path = dir.resolve("state").resolve(sub);
            if (Files.exists(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    assertThat(entries).as(path.toString()).isEmpty();
                }
            }
        }
        assertThat(dir.resolve("etc")).doesNotExist();
    }

    private static void assertDenied(Runnable call) {
        assertStatus(call, Status.Code.PERMISSION_DENIED);
    }

    private static void assertInvalid(Runnable call) {
        assertStatus(call, Status.Code.INVALID_ARGUMENT);
    }

    private static void assertStatus(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode())
                                .as(e.getStatus().toString())
                                .isEqualTo(code));
    }
}

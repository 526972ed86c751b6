package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.v1.HealthRequest;
import dev.kompact.agent.v1.NodeAgentGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent serves only clients with a certificate from the cluster's CA; needs openssl, not root. */
class MutualTlsTest {
    @TempDir
    Path dir;

    TestPki pki;
    AgentServer agent;

    @BeforeEach
    void startAgent() throws Exception {
        assumeTrue(
                HostTools.opensslMissing().isEmpty(),
                () -> HostTools.opensslMissing().orElseThrow());
        pki = TestPki.create(dir, "cluster-ca");
        agent = AgentServer.start(new AgentConfig(
                "tls-node",
                "127.0.0.1",
                0,
                dir.resolve("state"),
                dir.resolve("runc"),
                "unused-bridge",
                TestRun.PREFIX,
                pki.issue("tls-node"),
                AgentConfig.DEFAULT_MAX_IMAGE_BYTES,
                AgentConfig.DEFAULT_MAX_IMAGE_ENTRIES,
                0,
                AgentConfig.DEFAULT_LIBCRIU,
                AgentConfig.DEFAULT_CRIU,
                AgentConfig.PodNetworkType.BRIDGE));
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void servesClientWithCertificateFromClusterCa() throws Exception {
        assertThat(health(pki.issue("controller").channelTo(address())).getNodeName())
                .isEqualTo("tls-node");
    }

    @Test
    void refusesClientWithCertificateFromAnotherCa() throws Exception {
        TlsFiles stranger = TestPki.create(dir, "other-ca").issue("controller");
        TlsFiles trustingAgent = new TlsFiles(stranger.certificateChain(), stranger.privateKey(), pki.caCertificate());
        assertThatThrownBy(() -> health(trustingAgent.channelTo(address())))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void refusesClientWithoutCertificate() throws Exception {
        var serverTrustOnly = TlsChannelCredentials.newBuilder()
                .trustManager(pki.caCertificate().toFile())
                .build();
        assertThatThrownBy(() -> health(
                        Grpc.newChannelBuilder(address(), serverTrustOnly).build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    private String address() {
        return "127.0.0.1:" + agent.port();
    }

    private static dev.kompact.agent.v1.HealthResponse health(ManagedChannel channel) throws InterruptedException {
        try {
            return NodeAgentGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .health(HealthRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

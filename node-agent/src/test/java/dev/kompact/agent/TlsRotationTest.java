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
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates rotated on disk are used from the next connection on, by the agent's server and by a client, without
 * a restart: real handshakes before and after. Needs openssl, not root.
 */
class TlsRotationTest {
    @TempDir
    Path dir;

    TestPki pki;
    TlsFiles agentFiles;
    AgentServer agent;

    @BeforeEach
    void startAgent() throws Exception {
        assumeTrue(
                HostTools.opensslMissing().isEmpty(),
                () -> HostTools.opensslMissing().orElseThrow());
        pki = TestPki.create(dir, "cluster-ca");
        agentFiles = new TlsFiles(dir.resolve("agent/tls.crt"), dir.resolve("agent/tls.key"), pki.caCertificate());
        install(agentFiles, pki.issue("tls-node"));
        agent = AgentServer.start(new AgentConfig(
                "tls-node",
                "127.0.0.1",
                0,
                dir.resolve("state"),
                dir.resolve("runc"),
                "unused-bridge",
                TestRun.PREFIX,
                agentFiles,
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
    void agentServesItsRotatedCertificateFromTheNextConnectionWithoutRestart() throws Exception {
        SSLContext controller = pki.issue("controller").sslContext();
        BigInteger before = agentFiles.certificate().getSerialNumber();
        assertThat(servedSerial(controller)).isEqualTo(before);

        install(agentFiles, pki.issue("tls-node"));

        BigInteger after = agentFiles.certificate().getSerialNumber();
        assertThat(after).isNotEqualTo(before);
        assertThat(servedSerial(controller)).isEqualTo(after);
    }

    @Test
    void clientPresentsItsRotatedCertificateFromTheNextConnectionWithoutRestart() throws Exception {
        TlsFiles controllerFiles =
                new TlsFiles(dir.resolve("controller/tls.crt"), dir.resolve("controller/tls.key"), pki.caCertificate());
        // first a certificate of another CA, which the agent refuses
        install(controllerFiles, TestPki.create(dir, "other-ca").issue("controller"));
        ChannelCredentials credentials = controllerFiles.channelCredentials();
        assertThatThrownBy(() -> health(credentials))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        install(controllerFiles, pki.issue("controller"));

        assertThat(health(credentials)).isEqualTo("tls-node");
    }

    @Test
    void aRotationToAKeyThatIsNotTheCertificatesOwnKeepsServingThePreviousPair() throws Exception {
        SSLContext controller = pki.issue("controller").sslContext();
        BigInteger before = agentFiles.certificate().getSerialNumber();
        TlsFiles other = pki.issue("tls-node");
        TlsFiles another = pki.issue("another");

        agentFiles.install(Files.readString(another.privateKey()), Files.readString(other.certificateChain()));

        assertThat(servedSerial(controller)).isEqualTo(before);
    }

    private static void install(TlsFiles into, TlsFiles issued) throws Exception {
        into.install(Files.readString(issued.privateKey()), Files.readString(issued.certificateChain()));
    }

    /** A fresh TLS connection to the agent: the serial of the certificate it serves. */
    private BigInteger servedSerial(SSLContext client) throws Exception {
        try (SSLSocket socket =
                (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), agent.port())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private String health(ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel =
                Grpc.newChannelBuilder("127.0.0.1:" + agent.port(), credentials).build();
        try {
            return NodeAgentGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .health(HealthRequest.getDefaultInstance())
                    .getNodeName();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

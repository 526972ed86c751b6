package dev.kompact.executor.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.tls.PeerIdentity;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.executor.testing.CsrApiStandIn;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCertificateSignerTest {
    private static final String NAMESPACE = "kompact";
    private static final String AGENT_USER = "system:serviceaccount:kompact:kompact-agent";

    private final CsrApiStandIn api = new CsrApiStandIn();
    private final List<KubernetesClient> clients = new ArrayList<>();
    private final ExecutorService agents = Executors.newCachedThreadPool();
    private KubernetesMockServer server;
    private KubernetesClient controller;
    private AgentCertificateSigner signer;
    private CertificateAuthority authority;

    @TempDir
    Path tmp;

    @BeforeEach
    void cluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), api, false);
        server.init();
        controller = as("controller-token");
        for (String node : List.of("node-a", "node-b")) {
            controller
                    .nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(node)
                            .endMetadata()
                            .withNewStatus()
                            .addNewAddress()
                            .withType("InternalIP")
                            .withAddress(node.equals("node-a") ? "10.0.0.1" : "10.0.0.2")
                            .endAddress()
                            .endStatus()
                            .build())
                    .create();
        }
        authority = CertificateAuthority.loadOrCreate(controller, NAMESPACE, "kompact-ca");
        signer = new AgentCertificateSigner(controller, authority, NAMESPACE, "kompact-agent", Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        agents.shutdownNow();
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }

    @Test
    void agentsCsrIsSignedWithExactlyItsNodesIdentityAndAddress() throws Exception {
        api.token("agent-a", onNode("node-a"));
        TlsFiles files = files("node-a");

        X509Certificate issued = enrolWhileSigning(
                new CertificateEnrollment(as("agent-a"), "node-a", List.of("10.0.0.1"), files, Duration.ofHours(1)));

        assertThat(PeerIdentity.of(issued)).contains(PeerIdentity.agentOf("node-a"));
        assertThat(issued.getSubjectAlternativeNames())
                .extracting(san -> (Object) san.get(1))
                .containsExactlyInAnyOrder((Object) (PeerIdentity.NODE_PREFIX + "node-a"), "10.0.0.1");
        assertThat(issued.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        issued.verify(authority.certificate().getPublicKey());
        assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void csrForAnotherNodeIsDenied() throws Exception {
        // the agent of node-b asks for node-a's identity
        api.token("agent-b", onNode("node-b"));

        assertThatThrownBy(() -> enrolWhileSigning(new CertificateEnrollment(
                        as("agent-b"), "node-a", List.of(), files("node-a"), Duration.ofHours(1))))
                .hasMessageContaining("denied")
                .hasMessageContaining("runs on node node-b");
    }

    @Test
    void csrFromAnotherServiceAccountIsDenied() throws Exception {
        api.token(
                "intruder",
                new CsrApiStandIn.Requester(
                        "system:serviceaccount:default:builder",
                        Map.of(AgentCertificates.NODE_NAME_EXTRA, List.of("node-a"))));

        assertThatThrownBy(() -> enrolWhileSigning(new CertificateEnrollment(
                        as("intruder"), "node-a", List.of(), files("node-a"), Duration.ofHours(1))))
                .hasMessageContaining("denied")
                .hasMessageContaining("not the agents' service account");
    }

    @Test
    void csrAskingForAnotherNodesAddressIsDenied() throws Exception {
        api.token("agent-a", onNode("node-a"));

        assertThatThrownBy(() -> enrolWhileSigning(new CertificateEnrollment(
                        as("agent-a"), "node-a", List.of("10.0.0.2"), files("node-a"), Duration.ofHours(1))))
                .hasMessageContaining("denied")
                .hasMessageContaining("10.0.0.2, which is not an address of node node-a");
    }

    @Test
    void withoutANodeInTheTokenThePodsNodeDecides() throws Exception {
        String uid = controller
                .pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("kompact-agent-x1")
                        .withNamespace(NAMESPACE)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-b")
                        .endSpec()
                        .build())
                .create()
                .getMetadata()
                .getUid();
        api.token(
                "agent-pod",
                new CsrApiStandIn.Requester(
                        AGENT_USER,
                        Map.of(
                                AgentCertificates.POD_NAME_EXTRA, List.of("kompact-agent-x1"),
                                AgentCertificates.POD_UID_EXTRA, List.of(uid))));

        X509Certificate issued = enrolWhileSigning(
                new CertificateEnrollment(as("agent-pod"), "node-b", List.of(), files("node-b"), Duration.ofHours(1)));
        assertThat(PeerIdentity.of(issued)).contains(PeerIdentity.agentOf("node-b"));

        assertThatThrownBy(() -> enrolWhileSigning(new CertificateEnrollment(
                        as("agent-pod"), "node-a", List.of(), files("node-a"), Duration.ofHours(1))))
                .hasMessageContaining("runs on node node-b");
    }

    @Test
    void agentReEnrolsWithANewKeyAtTwoThirdsOfTheLifetime() throws Exception {
        api.token("agent-a", onNode("node-a"));
        TlsFiles files = files("node-a");
        var enrollment = new CertificateEnrollment(as("agent-a"), "node-a", List.of(), files, Duration.ofHours(1));
        X509Certificate first = enrolWhileSigning(enrollment);
        String firstKey = Files.readString(files.privateKey());

        Instant renewAt = CertificateEnrollment.renewAt(first);
        // valid from a minute back (clock skew) for an hour: 61 min, two thirds of it 40 min 40 s = 2440 s
        assertThat(renewAt).isEqualTo(first.getNotBefore().toInstant().plus(Duration.ofSeconds(2440)));
        assertThat(enrollment.current(renewAt.minusSeconds(1))).isTrue();
        assertThat(enrollment.current(renewAt)).isFalse();

        X509Certificate second = enrolWhileSigning(enrollment);
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(Files.readString(files.privateKey())).isNotEqualTo(firstKey);
        assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
    }

    @Test
    void renewalEnrolsBeforeReturningOnlyWhenTheFilesHoldNoCurrentCertificate() throws Exception {
        api.token("agent-a", onNode("node-a"));
        TlsFiles files = files("node-a");
        var enrollment = new CertificateEnrollment(as("agent-a"), "node-a", List.of(), files, Duration.ofHours(1));
        Future<?> signing = agents.submit(this::signUntilInterrupted);

        try (CertificateRenewal first = CertificateRenewal.start(enrollment, Duration.ofSeconds(20))) {
            assertThat(enrollment.renewalDue()).isAfter(Instant.now());
        }
        X509Certificate enrolled = files.certificate();
        // an agent restarted with its files still current asks for nothing
        try (CertificateRenewal again = CertificateRenewal.start(enrollment, Duration.ofSeconds(20))) {
            assertThat(files.certificate()).isEqualTo(enrolled);
        } finally {
            signing.cancel(true);
        }
        assertThat(controller
                        .certificates()
                        .v1()
                        .certificateSigningRequests()
                        .list()
                        .getItems())
                .hasSize(1);
    }

    @Test
    void twoAgentsShakeHandsOverMutualTlsWithTheirIssuedCertificates() throws Exception {
        api.token("agent-a", onNode("node-a"));
        api.token("agent-b", onNode("node-b"));
        TlsFiles a = files("node-a");
        TlsFiles b = files("node-b");
        enrolWhileSigning(new CertificateEnrollment(as("agent-a"), "node-a", List.of(), a, Duration.ofHours(1)));
        enrolWhileSigning(new CertificateEnrollment(as("agent-b"), "node-b", List.of(), b, Duration.ofHours(1)));
        // the CA bundle as the agents mount it from the ConfigMap
        for (TlsFiles files : List.of(a, b)) {
            Files.writeString(
                    files.trustedCa(),
                    controller
                            .configMaps()
                            .inNamespace(NAMESPACE)
                            .withName("kompact-ca")
                            .get()
                            .getData()
                            .get(CertificateAuthority.CERTIFICATE_KEY));
        }

        try (SSLServerSocket listening = (SSLServerSocket)
                a.sslContext().getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            Future<PeerIdentity> seenByA = agents.submit(() -> {
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.startHandshake();
                    return PeerIdentity.of(
                                    (X509Certificate) accepted.getSession().getPeerCertificates()[0])
                            .orElseThrow();
                }
            });
            try (SSLSocket calling = (SSLSocket) b.sslContext()
                    .getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listening.getLocalPort())) {
                calling.startHandshake();
                assertThat(PeerIdentity.of(
                                (X509Certificate) calling.getSession().getPeerCertificates()[0]))
                        .contains(PeerIdentity.agentOf("node-a"));
            }
            assertThat(seenByA.get(10, TimeUnit.SECONDS)).isEqualTo(PeerIdentity.agentOf("node-b"));
        }
    }

    @Test
    void secondControllerUsesTheCaTheFirstMade() {
        CertificateAuthority again = CertificateAuthority.loadOrCreate(controller, NAMESPACE, "kompact-ca");

        assertThat(again.certificate()).isEqualTo(authority.certificate());
        assertThat(controller
                        .configMaps()
                        .inNamespace(NAMESPACE)
                        .withName("kompact-ca")
                        .get()
                        .getData())
                .containsEntry(CertificateAuthority.CERTIFICATE_KEY, authority.certificatePem());
    }

    private X509Certificate enrolWhileSigning(CertificateEnrollment enrollment) throws Exception {
        Future<X509Certificate> enrolled = agents.submit(() -> enrollment.enrol(Duration.ofSeconds(20)));
        CompletableFuture.runAsync(() -> {
            while (!enrolled.isDone()) {
                signer.signPending();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            return enrolled.get();
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private void signUntilInterrupted() {
        while (!Thread.currentThread().isInterrupted()) {
            signer.signPending();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static CsrApiStandIn.Requester onNode(String node) {
        return new CsrApiStandIn.Requester(AGENT_USER, Map.of(AgentCertificates.NODE_NAME_EXTRA, List.of(node)));
    }

    private TlsFiles files(String node) {
        Path dir = tmp.resolve(node);
        return new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
    }

    private KubernetesClient as(String token) {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.createClient().getConfiguration())
                        .withOauthToken(token)
                        .build())
                .build();
        clients.add(client);
        return client;
    }
}

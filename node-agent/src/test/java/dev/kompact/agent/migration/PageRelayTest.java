package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.transfer.TransferRate;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay between real sockets: a stand-in for CRIU's page server on one side, the target's agent on the other, over
 * mutual TLS with identities from a test CA (needs openssl).
 */
class PageRelayTest {
    private static final int GET = 7;
    private static final int CLOSE = 0x1023;

    @TempDir
    static Path pkiDir;

    private static SSLContext source;
    private static SSLContext target;
    private static SSLContext stranger;
    private static SSLContext otherAgent;

    private CriuPageServerStandIn criuServer;
    private CompletableFuture<Socket> criu;
    private PageRelay relay;

    @BeforeAll
    static void issueIdentities() throws Exception {
        assumeTrue(
                HostTools.opensslMissing().isEmpty(),
                () -> HostTools.opensslMissing().orElseThrow());
        TestPki cluster = TestPki.create(pkiDir, "cluster-ca");
        source = cluster.issue("source").sslContext();
        target = cluster.issue("target").sslContext();
        otherAgent = cluster.issue("other-node").sslContext();
        stranger = presentingAnyway(TestPki.create(pkiDir, "other-ca").issue("stranger"), cluster.caCertificate());
    }

    /**
     * Presents its certificate whatever CAs the relay names (JSSE's own key manager would send none), and trusts the
     * relay's: only the relay's check of the client certificate can keep it out.
     */
    private static SSLContext presentingAnyway(TlsFiles identity, Path trustedCa) throws Exception {
        X509Certificate[] chain;
        PrivateKey key;
        try (InputStream certificates = Files.newInputStream(identity.certificateChain());
                InputStream pkcs8 = Files.newInputStream(identity.privateKey())) {
            chain = CertificateUtils.getX509Certificates(certificates);
            key = CertificateUtils.getPrivateKey(pkcs8);
        }
        KeyManager always = new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"stranger"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "stranger";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream ca = Files.newInputStream(trustedCa)) {
            trusted.setCertificateEntry("ca", CertificateUtils.getX509Certificates(ca)[0]);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {always}, trust.getTrustManagers(), null);
        return context;
    }

    @BeforeEach
    void startCriuStandIn() throws IOException {
        criuServer = new CriuPageServerStandIn();
        criu = criuServer.connection();
        relay = new PageRelay(
                "m-test",
                source,
                "127.0.0.1",
                InetAddress.getLoopbackAddress(),
                "target",
                criuServer.port(),
                new TransferRate(0),
                () -> {});
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
        criuServer.close();
    }

    @Test
    void forwardsRequestsAndPagesButAnswersTheTargetsCloseItself() throws Exception {
        try (Socket target = connectTarget()) {
            target.getOutputStream().write(record(GET));
            Socket criuSide = criu.get(5, TimeUnit.SECONDS);
            assertThat(command(criuSide.getInputStream().readNBytes(32))).isEqualTo(GET);
            criuSide.getOutputStream().write("pages".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(target.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                    .isEqualTo("pages");

            target.getOutputStream().write(record(CLOSE));

            assertThat(target.getInputStream().readNBytes(4))
                    .as("status 0 from the relay")
                    .containsOnly(0);
            assertThat(relay.targetClosed(5000)).isTrue();
            // CRIU would end the dump as a success on CLOSE or end of stream: it must see neither
            assertThatThrownBy(() -> criuSide.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    /**
     * The lazy-pages daemon's background requests grow to 1024 pages, and answers come in order: a fault asked for
     * after one would wait for all 4 MiB. CRIU may answer fewer pages than asked (the daemon asks again for the rest).
     */
    @Test
    void capsEachRequestAt64PagesSoThatAFaultNeverQueuesBehindALargeAnswer() throws Exception {
        try (Socket target = connectTarget()) {
            target.getOutputStream().write(get(1024, 0x7f0000000000L, 3));
            target.getOutputStream().write(get(1, 0x7f0000400000L, 3));
            InputStream criuSide = criu.get(5, TimeUnit.SECONDS).getInputStream();

            ByteBuffer background = ByteBuffer.wrap(criuSide.readNBytes(32)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer fault = ByteBuffer.wrap(criuSide.readNBytes(32)).order(ByteOrder.LITTLE_ENDIAN);

            // 1024 pages asked, 64 passed on; address and process kept, as the daemon matches the answer by them
            assertThat(background.getLong(8)).isEqualTo(64);
            assertThat(background.getLong(16)).isEqualTo(0x7f0000000000L);
            assertThat(background.getLong(24)).isEqualTo(3);
            assertThat(fault.getLong(8)).isEqualTo(1);
            assertThat(fault.getLong(16)).isEqualTo(0x7f0000400000L);
        }
    }

    @Test
    void keepsCriuWaitingWhenTheTargetVanishesWithoutClose() throws Exception {
        try (Socket target = connectTarget()) {
            target.getOutputStream().write(record(GET));
            Socket criuSide = criu.get(5, TimeUnit.SECONDS);
            criuSide.getInputStream().readNBytes(32);
            target.close();

            assertThat(relay.targetClosed(5000)).isFalse();
            assertThatThrownBy(() -> criuSide.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void commitSendsCloseThenEndOfStreamToCriu() throws Exception {
        try (Socket target = connectTarget()) {
            target.getOutputStream().write(record(CLOSE));
            target.getInputStream().readNBytes(4);

            relay.commit();

            Socket criuSide = criu.get(5, TimeUnit.SECONDS);
            assertThat(command(criuSide.getInputStream().readNBytes(32))).isEqualTo(CLOSE);
            assertThat(criuSide.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void failSendsAnUnknownCommandAndResetsCriuEvenWithoutTarget() throws Exception {
        relay.fail();

        Socket criuSide = criu.get(5, TimeUnit.SECONDS);
        assertThat(command(criuSide.getInputStream().readNBytes(32))).isEqualTo(0xffff);
        assertThatThrownBy(() -> criuSide.getInputStream().read())
                .isInstanceOf(SocketException.class)
                .hasMessageContaining("reset");
    }

    @Test
    void refusesPageConnectionsFromAnyOtherAddress() throws Exception {
        relay.close();
        relay = new PageRelay(
                "m-test",
                source,
                "127.0.0.1",
                InetAddress.getByName("127.0.0.2"),
                "target",
                criuServer.port(),
                new TransferRate(0),
                () -> {});
        try (Socket plain = connectPlain()) {
            plain.setSoTimeout(5000);
            assertThat(plain.getInputStream().read()).as("closed by the relay").isEqualTo(-1);
        }
        assertThat(criu).isNotDone();
    }

    /** Every agent holds a certificate from the cluster's CA: only the target's may read the frozen memory. */
    @Test
    void refusesAnotherAgentsCertificateFromTheTargetsAddressAndStillServesTheTarget() throws Exception {
        try (Socket other = otherAgent.getSocketFactory().createSocket("127.0.0.1", relayPort())) {
            assertEndedByRelay(other, record(GET));
        }
        assertThat(criu).as("never relayed to CRIU").isNotDone();
        assertStillServesTheTarget();
    }

    @Test
    void refusesPlainTcpClientAndStillServesTheTarget() throws Exception {
        try (Socket plain = connectPlain()) {
            assertEndedByRelay(plain, record(GET));
        }
        assertThat(criu).as("never relayed to CRIU").isNotDone();
        assertStillServesTheTarget();
    }

    @Test
    void refusesTlsClientWithCertificateFromAnotherCaAndStillServesTheTarget() throws Exception {
        try (Socket other = stranger.getSocketFactory().createSocket("127.0.0.1", relayPort())) {
            assertEndedByRelay(other, record(GET));
        }
        assertThat(criu).as("never relayed to CRIU").isNotDone();
        assertStillServesTheTarget();
    }

    private void assertStillServesTheTarget() throws Exception {
        try (Socket target = connectTarget()) {
            target.getOutputStream().write(record(GET));
            assertThat(command(criu.get(5, TimeUnit.SECONDS).getInputStream().readNBytes(32)))
                    .isEqualTo(GET);
        }
    }

    /** Sends (over TLS: after the handshake), then the relay ends the stream: closed, reset or a TLS alert. */
    private static void assertEndedByRelay(Socket socket, byte[] request) throws IOException {
        socket.setSoTimeout(5000);
        try {
            socket.getOutputStream().write(request);
            while (socket.getInputStream().read() != -1) {
                // a TLS alert in plain text, at most
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the relay kept the connection open", e);
        } catch (SSLException e) {
            // the relay's alert: its check of the client certificate failed
        } catch (SocketException e) {
            // reset, or closed while this side still wrote its handshake (a busy machine)
            assertThat(e.getMessage()).containsAnyOf("reset", "Broken pipe");
        }
    }

    private Socket connectTarget() throws IOException {
        return connect(target);
    }

    private SSLSocket connect(SSLContext identity) throws IOException {
        SSLSocket socket = (SSLSocket) identity.getSocketFactory().createSocket("127.0.0.1", relayPort());
        socket.startHandshake();
        return socket;
    }

    private Socket connectPlain() throws IOException {
        return new Socket("127.0.0.1", relayPort());
    }

    private int relayPort() {
        String address = relay.address("127.0.0.1");
        return Integer.parseInt(address.substring(address.indexOf(':') + 1));
    }

    private static byte[] record(int command) {
        return ByteBuffer.allocate(32)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(command)
                .array();
    }

    private static byte[] get(long pages, long address, long process) {
        return ByteBuffer.allocate(32)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, GET)
                .putLong(8, pages)
                .putLong(16, address)
                .putLong(24, process)
                .array();
    }

    private static int command(byte[] record) {
        assertThat(record).hasSize(32);
        return ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}

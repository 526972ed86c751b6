package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.TestPki;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.agent.transfer.TransferRate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stand-in for the lazy-pages daemon talks plain TCP to the tunnel, which carries it over mutual TLS to a real
 * {@link PageRelay} in front of a stand-in for CRIU's page server (needs openssl).
 */
class PageTunnelTest {
    private static final int GET = 7;
    private static final int CLOSE = 0x1023;

    @TempDir
    static Path pkiDir;

    private static SSLContext source;
    private static SSLContext target;
    private static SSLContext impostor;

    private CriuPageServerStandIn criuServer;
    private CompletableFuture<Socket> criu;
    private PageRelay relay;
    private PageTunnel tunnel;

    @BeforeAll
    static void issueIdentities() throws IOException {
        assumeTrue(
                HostTools.opensslMissing().isEmpty(),
                () -> HostTools.opensslMissing().orElseThrow());
        TestPki cluster = TestPki.create(pkiDir, "cluster-ca");
        source = cluster.issue("source").sslContext();
        target = cluster.issue("target").sslContext();
        TlsFiles other = TestPki.create(pkiDir, "other-ca").issue("impostor");
        // it would accept the target: only the tunnel's check of the relay's certificate can keep the pages from it
        impostor = new TlsFiles(other.certificateChain(), other.privateKey(), cluster.caCertificate()).sslContext();
    }

    @BeforeEach
    void startCriuStandIn() throws IOException {
        criuServer = new CriuPageServerStandIn();
        criu = criuServer.connection();
    }

    @AfterEach
    void stop() throws Exception {
        if (tunnel != null) {
            tunnel.close();
        }
        if (relay != null) {
            relay.close();
        }
        criuServer.close();
    }

    @Test
    void carriesTheDaemonsSessionToTheRelayAndTheRelaysEndBack() throws Exception {
        startRelayAndTunnel(source);
        try (Socket daemon = connectDaemon()) {
            daemon.getOutputStream().write(record(GET));
            Socket criuSide = criu.get(5, TimeUnit.SECONDS);
            assertThat(criuSide.getInputStream().readNBytes(32)).isEqualTo(record(GET));
            criuSide.getOutputStream().write("pages".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(daemon.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                    .isEqualTo("pages");

            daemon.getOutputStream().write(record(CLOSE));

            assertThat(daemon.getInputStream().readNBytes(4))
                    .as("the relay's status 0")
                    .containsOnly(0);
            assertThat(daemon.getInputStream().read())
                    .as("the relay's end, passed on")
                    .isEqualTo(-1);
            assertThat(relay.targetClosed(5000)).isTrue();
        }
    }

    @Test
    void endsTheDaemonsConnectionWhenTheRelaysCertificateIsNotFromTheClusterCa() throws Exception {
        startRelayAndTunnel(impostor);
        // never accepted: reset when the tunnel stops listening, or refused if it already had
        assertThatThrownBy(() -> {
                    try (Socket daemon = connectDaemon()) {
                        daemon.getOutputStream().write(record(GET));
                        daemon.getInputStream().read();
                    }
                })
                .isInstanceOf(SocketException.class)
                .hasMessageMatching(".*(reset|refused).*");
        assertThat(criu).as("no request reached the impostor's CRIU").isNotDone();
    }

    /**
     * Any process of the node's network may connect to the tunnel's loopback port, and the first one used to get the
     * frozen pod's memory: now only the daemon's own connection is carried, and another is closed unread.
     */
    @Test
    void carriesOnlyTheDaemonsConnectionWhenAnotherProcessConnectsFirst() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "busybox-static is not installed");
        startRelayAndTunnel(source);
        Process intruder = new ProcessBuilder(
                        "/bin/busybox",
                        "nc",
                        "127.0.0.1",
                        String.valueOf(tunnel.address().getPort()))
                .redirectErrorStream(true)
                .redirectOutput(pkiDir.resolve("intruder.out").toFile())
                .start();
        try {
            intruder.getOutputStream().write(new byte[32]); // command 0: not a request the daemon sends
            intruder.getOutputStream().flush();
            intruder.waitFor(3, TimeUnit.SECONDS); // it exits once the tunnel closes its connection

            try (Socket daemon = connectDaemon()) {
                daemon.getOutputStream().write(record(GET));
                Socket criuSide = criu.get(5, TimeUnit.SECONDS);
                assertThat(criuSide.getInputStream().readNBytes(32))
                        .as("the daemon's request, the first CRIU saw")
                        .isEqualTo(record(GET));
                criuSide.getOutputStream().write("pages".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(daemon.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                        .isEqualTo("pages");
            }
        } finally {
            intruder.destroyForcibly().waitFor();
        }
        assertThat(intruder.getInputStream().readAllBytes())
                .as("nothing reached the intruder")
                .isEmpty();
    }

    private void startRelayAndTunnel(SSLContext relayIdentity) throws IOException {
        relay = new PageRelay(
                "m-test",
                relayIdentity,
                "127.0.0.1",
                InetAddress.getLoopbackAddress(),
                "target",
                criuServer.port(),
                new TransferRate(0),
                () -> {});
        String address = relay.address("127.0.0.1");
        tunnel = new PageTunnel(
                "m-test",
                target,
                new InetSocketAddress("127.0.0.1", Integer.parseInt(address.substring(address.indexOf(':') + 1))));
        // this test process plays the lazy-pages daemon
        tunnel.admit(ProcessHandle.current().pid());
    }

    private Socket connectDaemon() throws IOException {
        Socket daemon =
                new Socket(tunnel.address().getAddress(), tunnel.address().getPort());
        daemon.setSoTimeout(5000);
        return daemon;
    }

    private static byte[] record(int command) {
        return ByteBuffer.allocate(32)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(command)
                .array();
    }
}

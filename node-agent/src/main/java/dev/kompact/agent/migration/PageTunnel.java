package dev.kompact.agent.migration;

import dev.kompact.agent.DaemonThreads;
import dev.kompact.agent.net.LoopbackPeers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-copy target: the local lazy-pages daemon's way to the source's {@link PageRelay}, over mutual TLS with this
 * agent's identity, since CRIU cannot speak it (see there). The daemon connects to a loopback port, which any process
 * of the node's network could connect to first: only a connection the daemon's process holds ({@link
 * LoopbackPeers}) is accepted, any other is closed unread. Its one connection (the relay accepts one per migration)
 * is carried over a TLS connection, bytes unchanged both ways, and
 * each end is passed on: the relay sees the daemon's session as it is, CLOSE or not, and the daemon sees the relay's
 * end. The TLS connection is opened at once, so that its handshake overlaps the daemon's start instead of delaying
 * its first request.
 */
final class PageTunnel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageTunnel.class);
    private static final int CONNECT_MILLIS = 10_000;

    private final String migrationId;
    private final SSLContext tls;
    private final InetSocketAddress source;
    private final ServerSocket local;
    private final CompletableFuture<Long> daemonPid = new CompletableFuture<>();

    /** Listens at once on an ephemeral loopback port for the daemon of a migration whose relay is at {@code source}. */
    PageTunnel(String migrationId, SSLContext tls, InetSocketAddress source) throws IOException {
        this.migrationId = migrationId;
        this.tls = tls;
        this.source = source;
        this.local = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        start("page-tunnel", this::carry);
    }

    /** Where the lazy-pages daemon fetches its pages. */
    InetSocketAddress address() {
        return new InetSocketAddress(local.getInetAddress(), local.getLocalPort());
    }

    private void carry() {
        SSLSocket relay;
        try {
            relay = connectRelay();
        } catch (IOException e) {
            // the daemon cannot connect, or sees its connection end: it fails, and the restore with it
            log.warn(
                    "migration {}: cannot reach the source's page relay at {} over TLS: {}",
                    migrationId,
                    source,
                    e.toString());
            close();
            return;
        }
        Socket daemon;
        try {
            daemon = acceptDaemon();
            daemon.setTcpNoDelay(true);
        } catch (IOException e) {
            log.warn("migration {}: the lazy-pages daemon never connected: {}", migrationId, e.toString());
            closeQuietly(relay); // the relay sees an end without CLOSE
            return;
        } finally {
            close(); // no second connection: the relay would refuse it
        }
        start("pages-from-source", () -> pump(relay, daemon));
        start("requests-to-source", () -> pump(daemon, relay));
    }

    /** The lazy-pages daemon's pid, once it is started: the one process whose connection is carried. */
    void admit(long pid) {
        daemonPid.complete(pid);
    }

    /** Any process of the node's network may connect to a loopback port: only the daemon's connection is kept. */
    private Socket acceptDaemon() throws IOException {
        while (true) {
            Socket socket = local.accept();
            long pid;
            try {
                pid = daemonPid.get(CONNECT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                closeQuietly(socket);
                throw new IOException("no lazy-pages daemon was started within " + CONNECT_MILLIS + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(socket);
                throw new IOException("interrupted", e);
            }
            if (LoopbackPeers.heldBy(socket, pid)) {
                return socket;
            }
            log.warn(
                    "migration {}: refused a page connection from {}: not the lazy-pages daemon (pid {})",
                    migrationId,
                    socket.getRemoteSocketAddress(),
                    pid);
            closeQuietly(socket);
        }
    }

    private SSLSocket connectRelay() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(source, CONNECT_MILLIS);
            plain.setTcpNoDelay(true);
            PageSockets.keepAlive(plain);
            SSLSocket socket = (SSLSocket)
                    tls.getSocketFactory().createSocket(plain, source.getHostString(), source.getPort(), true);
            // as gRPC does for the agents' channels: the relay's certificate must name the host the target was told
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(CONNECT_MILLIS);
            socket.startHandshake();
            socket.setSoTimeout(PageRelay.SILENCE_MILLIS);
            return socket;
        } catch (IOException e) {
            closeQuietly(plain);
            throw e;
        }
    }

    /**
     * Copies until {@code from} ends, then ends {@code to}: closing both is right either way, since neither side
     * sends after the other's end (the relay ends only after answering CLOSE; a daemon's end is final).
     */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[256 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (!from.isClosed()) { // else the other direction ended first and closed both
                log.info("migration {}: page tunnel broke: {}", migrationId, e.toString());
            }
        } finally {
            closeQuietly(to);
            closeQuietly(from);
        }
    }

    private void start(String name, Runnable task) {
        DaemonThreads.start(name + "-" + migrationId, task);
    }

    /** Stops accepting; the connection under way ends with its daemon or relay. */
    @Override
    public void close() {
        closeQuietly(local);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort: the peer sees the end either way
        }
    }
}

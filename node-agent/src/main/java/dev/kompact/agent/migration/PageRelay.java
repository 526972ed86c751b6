package dev.kompact.agent.migration;

import dev.kompact.agent.DaemonThreads;
import dev.kompact.agent.transfer.TransferRate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only path from a target's lazy-pages daemon to this node's CRIU page server, because that session decides the
 * fate of the frozen source: CRIU ends a lazy dump as a success on any end of the session, and runc then deletes the
 * container. The lazy-pages daemon sends its CLOSE whether it fetched every page or failed, and a plain end of stream
 * (the target killed) counts as success too.
 *
 * <p>So the relay passes the target's requests to CRIU and CRIU's pages back, but answers the target's CLOSE itself
 * and keeps CRIU's session open until the source migration decides: {@link #commit} (CLOSE to CRIU: the dump succeeds
 * and the source container is deleted) once the target runs with all its pages, or {@link #fail} (an unknown command,
 * then a reset: the dump fails and CRIU resumes the container) for a rollback. The socket to CRIU lingers with a zero
 * timeout, so that if this agent dies its close is a reset, never the end of stream CRIU would take for success.
 *
 * <p>The target's side is mutual TLS with the agents' own certificates: the relay accepts only a client certificate
 * from the cluster's CA, and only from the target's address (any agent holds such a certificate, but only the target
 * may read this container's memory), one connection per migration. CRIU's own --tls cannot carry it (runc passes no
 * TLS options to the dump, and CRIU 4.2.1's lazy-pages daemon with --tls never sent its first request to a JSSE
 * server on this project's VM): the target's agent runs a {@link PageTunnel} for its daemon instead. CRIU's page
 * server serves its first client, in plain TCP: it listens on the loopback of a network namespace of the dump's own,
 * which the relay joins, so that no process of the node's network can be that client.
 */
final class PageRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PageRelay.class);
    /**
     * Pages never stop flowing to the target this long while its daemon runs (it fetches in the background until it
     * has every page), so a silent source is a partition or a stopped node: the tunnel ends, and post-copy with it, in
     * seconds instead of never. Not for the requests: one large request may be answered slower than this.
     */
    static final int SILENCE_MILLIS = 10_000;

    private final String migrationId;
    private final SSLServerSocket server;
    private final InetAddress target;
    private final int criuPort;
    private final TransferRate pageRate;
    private final Object criuWrites = new Object();
    private final Object targetWrites = new Object();
    private final CountDownLatch targetDone = new CountDownLatch(1);
    /** Only the target's agent, by its certificate, may read this container's memory; its address is not enough. */
    private final String targetNode;

    private volatile Socket criu;
    /** Where CRIU's page server listens: its dump's own network namespace; null: this one's loopback. */
    private volatile Path criuNamespace;

    private volatile Socket targetSocket;
    private volatile boolean targetClosed;
    private volatile boolean decided;
    /** Called once, before the target's first page request reaches CRIU. */
    private final Runnable firstRequest;

    private volatile boolean targetRequested;

    /**
     * Listens on {@code listenHost} for the target at {@code target}, over TLS with {@code tls} (the agent's identity);
     * CRIU serves on 127.0.0.1:{@code criuPort}; pages go to the target no faster than {@code pageRate}.
     *
     * @param firstRequest run before the target's first page request is passed on: its restored container exists
     */
    PageRelay(
            String migrationId,
            SSLContext tls,
            String listenHost,
            InetAddress target,
            String targetNode,
            int criuPort,
            TransferRate pageRate,
            Runnable firstRequest)
            throws IOException {
        this.migrationId = migrationId;
        this.firstRequest = firstRequest;
        this.target = target;
        this.targetNode = targetNode;
        this.criuPort = criuPort;
        this.pageRate = pageRate;
        this.server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        server.setNeedClientAuth(true);
        server.bind(new InetSocketAddress(listenHost, 0));
        DaemonThreads.start("page-relay-" + migrationId, this::accept);
    }

    /** The dump's network namespace, where the relay joins CRIU's page server; set before the target can connect. */
    void criuIn(Path namespace) {
        criuNamespace = namespace;
    }

    /** A free port for CRIU's page server, on loopback only: the relay is its one client. */
    static int freeLoopbackPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for CRIU's page server: " + e.getMessage(), e);
        }
    }

    /**
     * Fails the session of a lazy dump left without its relay (this agent restarted before the target connected):
     * false when nothing listens there any more, i.e. the dump already ended.
     */
    static boolean failOrphanSession(int criuPort, Path namespace) {
        try (Socket socket = PageSockets.connectLoopback(namespace, criuPort, 5_000)) {
            socket.setSoLinger(true, 0);
            socket.getOutputStream().write(PageProtocol.record(PageProtocol.UNKNOWN_COMMAND));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int criuPort() {
        return criuPort;
    }

    String address(String advertisedHost) {
        return advertisedHost + ":" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!socket.getInetAddress().equals(target) || targetSocket != null || decided) {
                log.warn(
                        "migration {}: refused a page connection from {}",
                        migrationId,
                        socket.getRemoteSocketAddress());
                closeQuietly(socket);
                continue;
            }
            try {
                PageSockets.handshake((SSLSocket) socket);
            } catch (IOException e) {
                log.warn(
                        "migration {}: refused a page connection from {} without mutual TLS: {}",
                        migrationId,
                        socket.getRemoteSocketAddress(),
                        e.toString());
                closeQuietly(socket);
                continue;
            }
            if (!PageSockets.isAgentOf(targetNode, (SSLSocket) socket)) {
                log.warn(
                        "migration {}: refused a page connection from {}: its certificate is not node {}'s",
                        migrationId,
                        socket.getRemoteSocketAddress(),
                        targetNode);
                closeQuietly(socket);
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
                connectCriu();
                targetSocket = socket;
            } catch (IOException e) {
                log.warn(
                        "migration {}: cannot reach CRIU's page server on port {}: {}",
                        migrationId,
                        criuPort,
                        e.toString());
                closeQuietly(socket);
                continue;
            }
            start("pages-to-target", this::pagesToTarget);
            start("requests-to-criu", this::requestsToCriu);
        }
    }

    private synchronized void connectCriu() throws IOException {
        if (criu == null) {
            Socket socket = PageSockets.connectLoopback(criuNamespace, criuPort, 10_000);
            socket.setTcpNoDelay(true);
            socket.setSoLinger(true, 0);
            criu = socket;
        }
    }

    private void start(String name, Runnable pump) {
        DaemonThreads.start(name + "-" + migrationId, pump);
    }

    /**
     * The target's side of the protocol is fixed-size records only: forwarded whole, each GET capped so that a fault
     * never queues behind a large background answer ({@link PageProtocol#MAX_PAGES_PER_GET}), CLOSE answered here.
     */
    private void requestsToCriu() {
        byte[] record = new byte[PageProtocol.RECORD_BYTES];
        try {
            InputStream in = targetSocket.getInputStream();
            while (in.readNBytes(record, 0, record.length) == record.length) {
                int command = PageProtocol.command(record);
                if (command == PageProtocol.CLOSE || command == PageProtocol.FORCE_CLOSE) {
                    targetClosed = true;
                    synchronized (targetWrites) {
                        targetSocket.getOutputStream().write(new byte[4]); // status 0: "all data received"
                    }
                    closeQuietly(targetSocket); // nothing more to send: no request is outstanding after a CLOSE
                    return;
                }
                if (!targetRequested) {
                    targetRequested = true;
                    firstRequest.run();
                }
                PageProtocol.capPages(record);
                synchronized (criuWrites) {
                    if (decided) {
                        return;
                    }
                    criu.getOutputStream().write(record);
                }
            }
            log.info("migration {}: the target's page session ended without CLOSE", migrationId);
        } catch (IOException e) {
            log.info("migration {}: the target's page session broke: {}", migrationId, e.toString());
        } finally {
            targetDone.countDown();
        }
    }

    private void pagesToTarget() {
        byte[] buffer = new byte[256 * 1024];
        try {
            InputStream in = criu.getInputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                pageRate.acquire(n);
                synchronized (targetWrites) {
                    OutputStream out = targetSocket.getOutputStream();
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the target went away (its side ends the pump) or CRIU ended the session after the decision
        }
    }

    /**
     * True once the target asked for a page: its lazy-pages daemon does so only for a restored container, which runs
     * from then on, so the frozen copy here is stale whatever becomes of the target.
     */
    boolean targetRequested() {
        return targetRequested;
    }

    /** True once the target closed its session, which its lazy-pages daemon does when it stops, done or not. */
    boolean targetClosed(long timeoutMillis) throws InterruptedException {
        return targetDone.await(timeoutMillis, TimeUnit.MILLISECONDS) && targetClosed;
    }

    /** Ends CRIU's session as complete: the dump succeeds and runc deletes the source container. */
    void commit() throws IOException {
        synchronized (criuWrites) {
            decided = true;
            connectCriu();
            criu.getOutputStream().write(PageProtocol.record(PageProtocol.CLOSE));
            // a half-close: CRIU answers, then waits for this end of stream before it reports success
            criu.shutdownOutput();
        }
    }

    /** Ends CRIU's session as failed: CRIU resumes the source container (with its network still locked). */
    void fail() {
        synchronized (criuWrites) {
            decided = true;
            try {
                connectCriu();
                criu.getOutputStream().write(PageProtocol.record(PageProtocol.UNKNOWN_COMMAND));
            } catch (IOException e) {
                log.info("migration {}: CRIU's page session already broke: {}", migrationId, e.toString());
            }
            closeQuietly(criu); // lingering 0: a reset
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        if (targetSocket != null) {
            closeQuietly(targetSocket);
        }
        if (criu != null) {
            closeQuietly(criu);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort: the peer sees the end either way
        }
    }
}

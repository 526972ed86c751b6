package dev.kompact.agent.migration;

import dev.kompact.agent.net.NamespaceSockets;
import dev.kompact.agent.tls.PeerIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;

/** The sockets of post-copy's page path: the relay's admission of its target, keepalive, CRIU's loopback. */
final class PageSockets {
    /** The handshake runs on the relay's acceptor: bounded, so that a silent client cannot hold up the target's. */
    private static final int HANDSHAKE_MILLIS = 10_000;

    private PageSockets() {}

    static void handshake(SSLSocket socket) throws IOException {
        socket.setSoTimeout(HANDSHAKE_MILLIS);
        socket.startHandshake();
        socket.setSoTimeout(0);
        keepAlive(socket);
    }

    static boolean isAgentOf(String node, SSLSocket socket) {
        try {
            var chain = socket.getSession().getPeerCertificates();
            return chain.length > 0
                    && chain[0] instanceof X509Certificate leaf
                    && PeerIdentity.of(leaf).equals(Optional.of(PeerIdentity.agentOf(node)));
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    /** A peer gone without a reset (a partition) shows as a broken connection after about 11 s. */
    static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 5);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 2);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
    }

    static Socket connectLoopback(Path namespace, int port, int timeoutMillis) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (namespace != null) {
            return NamespaceSockets.connect(namespace, address, timeoutMillis);
        }
        Socket socket = new Socket();
        socket.connect(address, timeoutMillis);
        return socket;
    }
}

package dev.kompact.agent.testing;

import dev.kompact.agent.net.NamespaceSockets;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

/** Opens sockets inside another network namespace, as a pod's client on the emulated cluster's segment. */
public final class NetworkNamespaces {
    private NetworkNamespaces() {}

    public static Socket connect(Path namespace, String host, int port, int timeoutMillis) throws Exception {
        return NamespaceSockets.connect(namespace, new InetSocketAddress(host, port), timeoutMillis);
    }
}

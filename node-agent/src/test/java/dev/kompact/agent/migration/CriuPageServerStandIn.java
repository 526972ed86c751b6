package dev.kompact.agent.migration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/** CRIU's page server as the relay sees it: a loopback port that accepts one connection. */
final class CriuPageServerStandIn implements AutoCloseable {
    private final ServerSocket server;
    private final CompletableFuture<Socket> connection;

    CriuPageServerStandIn() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        connection = CompletableFuture.supplyAsync(() -> {
            try {
                Socket socket = server.accept();
                socket.setSoTimeout(500);
                return socket;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    /** The relay's connection, once it made one. */
    CompletableFuture<Socket> connection() {
        return connection;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}

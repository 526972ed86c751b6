package dev.kompact.agent.net;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Connects from inside another network namespace: a short-lived thread joins it with setns(2), connects, and ends;
 * the socket stays in that namespace whichever thread uses it later, and the agent's other threads stay where they
 * are.
 */
public final class NamespaceSockets {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private NamespaceSockets() {}

    /** @param namespace a network namespace file: /run/netns/NAME or /proc/PID/ns/net */
    public static Socket connect(Path namespace, InetSocketAddress address, int timeoutMillis) throws IOException {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                        int fd = LibC.INSTANCE.open(namespace.toString(), O_RDONLY);
                        if (fd < 0) {
                            throw new IOException("cannot open " + namespace + ": errno " + Native.getLastError());
                        }
                        try {
                            if (LibC.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
                                throw new IOException("setns " + namespace + " failed: errno " + Native.getLastError());
                            }
                        } finally {
                            LibC.INSTANCE.close(fd);
                        }
                        Socket socket = new Socket();
                        try {
                            socket.connect(address, timeoutMillis);
                        } catch (IOException e) {
                            socket.close();
                            throw e;
                        }
                        return socket;
                    })
                    .get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting in " + namespace, e);
        } finally {
            thread.shutdownNow();
        }
    }
}

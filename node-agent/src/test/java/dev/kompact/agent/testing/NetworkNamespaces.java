package dev.kompact.agent.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Opens sockets inside another network namespace: a short-lived thread joins it with setns(2) (JNA), connects, and
 * ends; the socket stays in that namespace whichever thread uses it later.
 */
public final class NetworkNamespaces {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    private interface CLibrary extends Library {
        CLibrary INSTANCE = Native.load("c", CLibrary.class);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private NetworkNamespaces() {}

    public static Socket connect(Path namespace, String host, int port, int timeoutMillis) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                        int fd = CLibrary.INSTANCE.open(namespace.toString(), O_RDONLY);
                        if (fd < 0) {
                            throw new IllegalStateException(
                                    "cannot open " + namespace + ": errno " + Native.getLastError());
                        }
                        try {
                            if (CLibrary.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
                                throw new IllegalStateException(
                                        "setns " + namespace + " failed: errno " + Native.getLastError());
                            }
                        } finally {
                            CLibrary.INSTANCE.close(fd);
                        }
                        Socket socket = new Socket();
                        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                        return socket;
                    })
                    .get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.shutdownNow();
        }
    }
}

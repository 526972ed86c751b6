package dev.kompact.agent.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The pod's client: one TCP connection, a message every few milliseconds, each answered with the pod's counter.
 * It notes the longest wait for an answer (the pause a user of the pod saw) and any answer out of sequence.
 */
public final class CounterClient implements AutoCloseable {
    private static final long INTERVAL_MILLIS = 10;

    private final Socket socket;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long exchanged;
    private volatile long longestPauseMillis;
    private volatile long lastCounter;
    private volatile String error;

    private CounterClient(Socket socket) {
        this.socket = socket;
        this.thread = new Thread(this::exchange, "counter-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** Connects from the client's namespace, retrying while the pod starts listening. */
    public static CounterClient connect(Path clientNamespace, String podIp, int port) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                Socket socket = NetworkNamespaces.connect(clientNamespace, podIp, port, 2000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                return new CounterClient(socket);
            } catch (java.net.ConnectException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private void exchange() {
        try {
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (long i = 1; running; i++) {
                long sent = System.nanoTime();
                out.write(("m" + i + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    throw new IllegalStateException("the pod closed the connection after " + (i - 1) + " messages");
                }
                long waited = (System.nanoTime() - sent) / 1_000_000;
                String[] parts = line.split(" ");
                long counter = Long.parseLong(parts[0]);
                if (counter != i || !parts[1].equals("m" + i)) {
                    throw new IllegalStateException("message m" + i + " answered with '" + line + "': counter lost");
                }
                lastCounter = counter;
                exchanged = i;
                longestPauseMillis = Math.max(longestPauseMillis, waited);
                Thread.sleep(INTERVAL_MILLIS);
            }
        } catch (Exception e) {
            if (running) {
                error = e.toString();
            }
        }
    }

    /** Waits until {@code more} further messages went through, or fails with what broke the connection. */
    public void awaitMoreExchanges(long more, long timeoutMillis) throws InterruptedException {
        long goal = exchanged + more;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (exchanged < goal && error == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        if (error != null) {
            throw new AssertionError("the client's connection broke: " + error);
        }
        if (exchanged < goal) {
            throw new AssertionError("the client exchanged no message for " + timeoutMillis + " ms");
        }
    }

    /** Restarts the pause measurement, e.g. right before a migration. */
    public void resetLongestPause() {
        longestPauseMillis = 0;
    }

    public long longestPauseMillis() {
        return longestPauseMillis;
    }

    public long lastCounter() {
        return lastCounter;
    }

    public String error() {
        return error;
    }

    @Override
    public void close() throws Exception {
        running = false;
        socket.close();
        thread.join(5000);
    }
}

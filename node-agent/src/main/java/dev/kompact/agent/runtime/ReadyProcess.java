package dev.kompact.agent.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.kompact.agent.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A CRIU process that keeps running after it is ready (a lazy dump serving pages, a lazy-pages daemon): started with
 * {@code --status-fd 3} on a FIFO, it writes one byte there once ready. ProcessBuilder cannot hand a child extra
 * descriptors, so a shell opens the FIFO as fd 3 and execs the command.
 */
public final class ReadyProcess {
    /** A lazy dump is started while the pod is frozen: mkfifo(3) directly, not a process for it. */
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int mkfifo(String path, int mode);
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ReadyProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} (which must pass {@code --status-fd 3}) and returns once it is ready.
     *
     * @param dir where the FIFO and the process's output go
     * @throws CommandException when it exits or stalls before being ready; it is not running then
     */
    public static ReadyProcess start(String name, List<String> command, Path dir, Duration timeout) {
        Path fifo = dir.resolve(name + ".status");
        Path log = dir.resolve(name + ".out");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(fifo);
            if (LibC.INSTANCE.mkfifo(fifo.toString(), 0600) != 0) {
                throw new IOException("mkfifo " + fifo + " failed with errno " + Native.getLastError());
            }
            List<String> shell =
                    new ArrayList<>(List.of("sh", "-c", "f=$1; shift; exec \"$@\" 3>\"$f\"", "sh", fifo.toString()));
            shell.addAll(command);
            Process process = new ProcessBuilder(shell)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ReadyProcess started = new ReadyProcess(name, process, log);
            started.awaitReady(fifo, timeout);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Path fifo, Duration timeout) {
        // opening a FIFO blocks until the shell opens its end: read in the background, bounded by the timeout
        CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(
                () -> {
                    try (InputStream in = Files.newInputStream(fifo)) {
                        return in.read();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                DaemonThreads.named("status-fifo")); // the read blocks in open() for as long as the command takes
        try {
            if (ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS) == 0) {
                return;
            }
            waitFor(Duration.ofSeconds(30));
            throw new CommandException(name + " exited before it was ready (exit " + exitCode() + "): " + output());
        } catch (TimeoutException e) {
            destroy();
            throw new CommandException(name + " was not ready within " + timeout + ": " + output());
        } catch (ExecutionException e) {
            destroy();
            throw new CommandException(name + ": cannot read its status FIFO " + fifo + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy();
            throw new CommandException("interrupted while starting " + name, e);
        }
    }

    /** Waits for the process to end; true when it did within {@code timeout}. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    public int exitCode() {
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void destroy() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log).strip() : "";
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}

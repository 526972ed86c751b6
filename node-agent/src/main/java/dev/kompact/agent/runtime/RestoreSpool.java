package dev.kompact.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The agent's side of the {@code kompact-restore} runc wrapper (resource kompact-restore.sh, which states the
 * protocol): the containers parked in their creation, each a directory SPOOL/ID with the bundle's path, and the
 * answers to them. Only root reaches the spool: an answer names an image that runc restores as root.
 */
public final class RestoreSpool {
    /** Bounded below the kubelet's CRI request timeout (2 min), so that its CreateContainer fails cleanly. */
    public static final Duration PARK_DEADLINE = Duration.ofSeconds(100);

    private static final Duration POLL = Duration.ofMillis(5);
    private final Path spool;
    private final Path wrapper;

    private RestoreSpool(Path spool, Path wrapper) {
        this.spool = spool;
        this.wrapper = wrapper;
    }

    /** A container the wrapper parked: its runtime id and its bundle (containerd's, with the target pod's spec). */
    public record Parked(String containerId, Path bundle) {}

    /** Writes the wrapper to {@code stateDir}/bin/kompact-restore, the BinaryName containerd's handler runs. */
    public static RestoreSpool install(Path stateDir) {
        Path spool = stateDir.resolve("restore-spool");
        Path wrapper = stateDir.resolve("bin").resolve("kompact-restore");
        try (InputStream in = RestoreSpool.class.getResourceAsStream("kompact-restore.sh")) {
            if (in == null) {
                throw new IllegalStateException("kompact-restore.sh is missing from the agent's jar");
            }
            String script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("@SPOOL@", spool.toAbsolutePath().toString())
                    .replace("@DEADLINE@", String.valueOf(PARK_DEADLINE.toSeconds()));
            Files.createDirectories(spool);
            Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(wrapper.getParent());
            Path written = wrapper.resolveSibling(".kompact-restore.tmp");
            Files.writeString(written, script);
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rwxr-xr-x"));
            // atomic: a shim may be starting the wrapper right now
            Files.move(written, wrapper, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the kompact-restore wrapper at " + wrapper + ": " + e, e);
        }
        return new RestoreSpool(spool, wrapper);
    }

    public Path wrapper() {
        return wrapper;
    }

    /** The containers parked now and not answered yet. */
    public List<Parked> parked() {
        List<Parked> parked = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(spool)) {
            for (Path dir : dirs.toList()) {
                Path bundle = dir.resolve("bundle");
                if (Files.exists(bundle)
                        && !Files.exists(dir.resolve("answer"))
                        && !Files.exists(dir.resolve("gave-up"))) {
                    parked.add(new Parked(
                            dir.getFileName().toString(),
                            Path.of(Files.readString(bundle).strip())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the restore spool " + spool + ": " + e, e);
        }
        return parked;
    }

    /** Tells the wrapper to restore {@code image} into its bundle; {@link #awaitDone} then says how that went. */
    public void restore(Parked container, Path image, Path workDir) {
        answer(container, "restore " + image.toAbsolutePath() + " " + workDir.toAbsolutePath());
    }

    /** The container's creation fails with {@code reason} (on one line). */
    public void abort(Parked container, String reason) {
        answer(container, "abort " + reason.replace('\n', ' '));
    }

    /** runc restore's exit code, or empty if it did not end within {@code timeout}. */
    public OptionalInt awaitDone(Parked container, Duration timeout) {
        Path done = spool.resolve(container.containerId()).resolve("done");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> rc = read(done);
            if (rc.isPresent()) {
                return OptionalInt.of(Integer.parseInt(rc.get()));
            }
            sleep();
        }
        return OptionalInt.empty();
    }

    /** Polls until {@code match} finds a parked container, or {@code timeout} passed. */
    public Optional<Parked> await(java.util.function.Predicate<Parked> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            Optional<Parked> found = parked().stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private void answer(Parked container, String line) {
        Path dir = spool.resolve(container.containerId());
        try {
            Path tmp = dir.resolve("answer.tmp");
            Files.writeString(tmp, line + "\n");
            Files.move(tmp, dir.resolve("answer"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot answer parked container " + container.containerId() + ": " + e, e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the restore wrapper", e);
        }
    }
}

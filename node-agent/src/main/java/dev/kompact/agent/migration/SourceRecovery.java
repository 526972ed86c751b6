package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CriuNetworkLock;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.v1.AbortRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes, at agent start, the migrations out of this node that a previous agent process left between its
 * checkpoint and its commit (outgoing/ID/migration.properties, written before the checkpoint):
 *
 * <ol>
 *   <li>The container still runs here: the checkpoint never completed. Abort the target; done.</li>
 *   <li>No complete image: nothing can be resumed; say so and keep the record for an operator.</li>
 *   <li>Ask the target to Abort. Aborted: it has no copy, so resume the container here (rollback). Refused as
 *       committed: the pod runs there, so delete the namespace and image here (commit). Unreachable: keep
 *       everything and retry at the next start; the container stays stopped, never running twice.</li>
 * </ol>
 * Post-copy migrations (the record names CRIU's page port) hold no pages on disk: the paused container itself is
 * the only copy, see {@link #recoverPostCopy}; once the target asked for pages it is never resumed.
 */
public final class SourceRecovery {
    private static final Logger log = LoggerFactory.getLogger(SourceRecovery.class);
    private static final String RECORD = "migration.properties";
    /** Post-copy: the target asked for a page, so its copy exists and may have run; see {@link SourceMigration}. */
    private static final String TARGET_STARTED = "target-started";

    private final Path outgoingDir;
    private final ContainerRuntime runtime;
    private final PodNetwork network;
    private final PeerAgents peers;

    public SourceRecovery(Path stateDir, ContainerRuntime runtime, PodNetwork network, PeerAgents peers) {
        this.outgoingDir = stateDir.resolve("outgoing");
        this.runtime = runtime;
        this.network = network;
        this.peers = peers;
    }

    /** What a migration needs to be finished by another agent process; deleted with its work directory. */
    /** @param criuPort post-copy: where the lazy dump's page server listens; 0 for stop-and-copy */
    record Outgoing(
            String migrationId,
            String containerId,
            Path bundle,
            Path namespace,
            PodNetwork.Address address,
            String target,
            int criuPort) {

        void save(Path workDir) {
            Properties p = new Properties();
            p.setProperty("container", containerId);
            p.setProperty("bundle", bundle.toString());
            p.setProperty("namespace", namespace.toString());
            p.setProperty("interface", address.interfaceName());
            p.setProperty("address", address.cidr());
            p.setProperty("target", target);
            p.setProperty("criuPort", String.valueOf(criuPort));
            try {
                Files.createDirectories(workDir);
                try (Writer w = Files.newBufferedWriter(workDir.resolve(RECORD))) {
                    p.store(w, "written before the checkpoint; removed on commit or rollback");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot record migration " + migrationId + " in " + workDir + ": " + e, e);
            }
        }

        static Outgoing load(Path workDir) throws IOException {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(workDir.resolve(RECORD))) {
                p.load(r);
            }
            return new Outgoing(
                    workDir.getFileName().toString(),
                    p.getProperty("container"),
                    Path.of(p.getProperty("bundle")),
                    Path.of(p.getProperty("namespace")),
                    new PodNetwork.Address(p.getProperty("interface"), p.getProperty("address")),
                    p.getProperty("target"),
                    Integer.parseInt(p.getProperty("criuPort", "0")));
        }
    }

    static void markTargetStarted(Path workDir) {
        FileTrees.touch(workDir.resolve(TARGET_STARTED));
    }

    public void recover() {
        if (!Files.isDirectory(outgoingDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(outgoingDir)) {
            for (Path workDir : dirs.toList()) {
                if (!Files.exists(workDir.resolve(RECORD))) {
                    FileTrees.deleteTree(workDir); // died before the checkpoint: nothing was touched
                    continue;
                }
                recover(Outgoing.load(workDir), workDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read unfinished migrations in " + outgoingDir + ": " + e, e);
        }
    }

    private void recover(Outgoing out, Path workDir) {
        if (out.criuPort() != 0) {
            recoverPostCopy(out, workDir);
            return;
        }
        boolean runs = runtime.find(out.containerId())
                .map(ContainerRuntime.ContainerInfo::running)
                .orElse(false);
        if (runs) {
            log.info(
                    "migration {}: {} still runs here; cancelling it on the target",
                    out.migrationId(),
                    out.containerId());
            abort(out);
            FileTrees.deleteTree(workDir);
            return;
        }
        Path image = workDir.resolve("checkpoint");
        if (!Files.exists(image.resolve("inventory.img"))) {
            log.error(
                    "migration {}: {} is not running and its checkpoint in {} is incomplete: it cannot be resumed;"
                            + " check node behind {} and delete {} once resolved",
                    out.migrationId(),
                    out.containerId(),
                    image,
                    out.target(),
                    workDir);
            return;
        }
        Status answer = abort(out);
        if (answer.isOk()) {
            network.linkUp(out.namespace(), out.address());
            runtime.restore(out.containerId(), out.bundle(), image, workDir.resolve("recovery"));
            network.announce(out.namespace(), out.address());
            FileTrees.deleteTree(workDir);
            log.info(
                    "migration {} rolled back after an agent restart: {} runs here again",
                    out.migrationId(),
                    out.containerId());
        } else if (answer.getCode() == Status.Code.FAILED_PRECONDITION) {
            network.delete(out.namespace());
            FileTrees.deleteTree(workDir);
            log.info(
                    "migration {} had committed before the agent restarted: {} runs on {}",
                    out.migrationId(),
                    out.containerId(),
                    out.target());
        } else {
            log.error(
                    "migration {}: target {} cannot confirm whether {} runs there ({}); it stays stopped here, image"
                            + " kept in {}; retried at the next agent start",
                    out.migrationId(),
                    out.target(),
                    out.containerId(),
                    answer,
                    image);
        }
    }

    /**
     * Post-copy: the container is frozen by its lazy dump, or was resumed by it with its network still locked when
     * this agent's relay died (its reset fails the dump). Abort OK: release the lock, end the dump as failed, and the
     * container runs here again. Refused as committed: the target ran it; the copy here is stale and deleted.
     */
    private void recoverPostCopy(Outgoing out, Path workDir) {
        if (runtime.find(out.containerId()).isEmpty()) {
            log.error(
                    "migration {}: {} is gone from this node and its lazy dump held no pages on disk: check node"
                            + " behind {}; delete {} once resolved",
                    out.migrationId(),
                    out.containerId(),
                    out.target(),
                    workDir);
            return;
        }
        Status answer = abort(out);
        if (answer.isOk()) {
            CriuNetworkLock.release(
                    runtime.processes(out.containerId()), out.namespace(), runtime.dumpLog(workDir.resolve("work")));
            failOrphanSession(out, workDir);
            awaitDumpEnd(workDir.resolve("work"));
            runtime.resume(out.containerId());
            awaitRunning(out.containerId());
            network.linkUp(out.namespace(), out.address());
            network.announce(out.namespace(), out.address());
            FileTrees.deleteTree(workDir);
            log.info(
                    "migration {} rolled back after an agent restart: {} runs here again",
                    out.migrationId(),
                    out.containerId());
        } else if (answer.getCode() == Status.Code.FAILED_PRECONDITION) {
            StaleCopy.kill(runtime, out.containerId());
            failOrphanSession(out, workDir);
            runtime.delete(out.containerId());
            network.delete(out.namespace());
            FileTrees.deleteTree(workDir);
            log.info(
                    "migration {} had committed before the agent restarted: {} runs on {}",
                    out.migrationId(),
                    out.containerId(),
                    out.target());
        } else if (Files.exists(workDir.resolve(TARGET_STARTED))) {
            StaleCopy.kill(runtime, out.containerId());
            failOrphanSession(out, workDir);
            runtime.delete(out.containerId());
            network.delete(out.namespace());
            FileTrees.deleteTree(workDir);
            log.error(
                    "migration {}: target {} started {} and cannot be reached ({}): the frozen copy here is stale and"
                            + " is deleted, never resumed; the pod survives only if the target had all its memory",
                    out.migrationId(),
                    out.target(),
                    out.containerId(),
                    answer);
        } else {
            log.error(
                    "migration {}: target {} cannot confirm whether {} runs there ({}); it stays frozen here by its"
                            + " lazy dump; retried at the next agent start",
                    out.migrationId(),
                    out.target(),
                    out.containerId(),
                    answer);
        }
    }

    /** The orphan's page server listens in its runc checkpoint process's network namespace. */
    private static void failOrphanSession(Outgoing out, Path workDir) {
        dumpProcess(workDir.resolve("work").toString())
                .ifPresent(pid -> PageRelay.failOrphanSession(
                        out.criuPort(), Path.of("/proc", String.valueOf(pid), "ns", "net")));
    }

    /**
     * The dump re-freezes the container as it ends: resuming it before would not last. Its runc checkpoint process,
     * which outlived the previous agent, is found by its work path.
     */
    private static void awaitDumpEnd(Path runcWorkPath) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (dumpRunning(runcWorkPath.toString()) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean dumpRunning(String runcWorkPath) {
        return dumpProcess(runcWorkPath).isPresent();
    }

    private static Optional<Long> dumpProcess(String runcWorkPath) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            String cmdline = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                            return cmdline.contains("checkpoint") && cmdline.contains(runcWorkPath);
                        } catch (IOException e) {
                            return false; // ended meanwhile
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc: " + e.getMessage(), e);
        }
    }

    private void awaitRunning(String containerId) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!runtime.find(containerId)
                .map(ContainerRuntime.ContainerInfo::running)
                .orElse(false)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(containerId + " did not resume within 30 s after its lazy dump failed");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Status abort(Outgoing out) {
        try {
            peers.blocking(out.target())
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .abort(AbortRequest.newBuilder()
                            .setMigrationId(out.migrationId())
                            .setReason("the source agent restarted mid-migration")
                            .build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }
}

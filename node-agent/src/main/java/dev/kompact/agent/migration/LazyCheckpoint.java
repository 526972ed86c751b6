package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CriuNetworkLock;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.ReadyProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-copy: the container is paused here, its small image dumped, and a lazy dump serves its memory through a
 * {@link PageRelay} until the decision. Every decision ends the dump: committed, CRIU kills the processes and the
 * container is deleted; otherwise CRIU leaves it paused with its network locked, and that lock is released before the
 * container is resumed (rollback), or the container is deleted (the target took over).
 */
final class LazyCheckpoint implements SourceCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(LazyCheckpoint.class);
    private static final Duration DUMP_END = Duration.ofMinutes(1);
    /** Beyond the relay's silence bound and TCP keepalive's 11 s: a session still open after this is not served. */
    private static final Duration TARGET_SESSION = Duration.ofSeconds(30);

    private final String migrationId;
    private final String containerId;
    private final Path namespace;
    private final Path workDir;
    private final ContainerRuntime runtime;
    private final ReadyProcess dump;
    private final PageRelay relay;
    private final String advertisedHost;

    private LazyCheckpoint(
            String migrationId,
            String containerId,
            Path namespace,
            Path workDir,
            ContainerRuntime runtime,
            ReadyProcess dump,
            PageRelay relay,
            String advertisedHost) {
        this.migrationId = migrationId;
        this.containerId = containerId;
        this.namespace = namespace;
        this.workDir = workDir;
        this.runtime = runtime;
        this.dump = dump;
        this.relay = relay;
        this.advertisedHost = advertisedHost;
    }

    /**
     * @param relay where the target fetches the pages, serving them from CRIU's page server on its loopback port
     * @param advertisedHost the host the target is told to reach the relay at
     * @param whilePaused started once the container is paused, to run alongside CRIU's dump
     * @throws RuntimeException with the container running again and the relay closed
     */
    static LazyCheckpoint start(
            String migrationId,
            String containerId,
            Path namespace,
            Path image,
            Path workDir,
            ContainerRuntime runtime,
            PageRelay relay,
            String advertisedHost,
            Runnable whilePaused) {
        try {
            // CRIU polls a freezing cgroup every 100 ms; paused first, CRIU finds it frozen at its first look
            runtime.pause(containerId);
            whilePaused.run();
            ReadyProcess dump = runtime.checkpointLazy(containerId, image, workDir, relay.criuPort());
            relay.criuIn(Path.of("/proc", String.valueOf(dump.pid()), "ns", "net"));
            return new LazyCheckpoint(
                    migrationId, containerId, namespace, workDir, runtime, dump, relay, advertisedHost);
        } catch (RuntimeException e) {
            relay.close();
            resumeAfterFailure(runtime, containerId, e);
            throw e;
        }
    }

    private static void resumeAfterFailure(ContainerRuntime runtime, String containerId, RuntimeException failure) {
        try {
            runtime.resume(containerId);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String pageServerAddress() {
        return relay.address(advertisedHost);
    }

    @Override
    public boolean targetStarted() {
        return relay.targetRequested();
    }

    @Override
    public void targetRuns() {
        try {
            // the target answered after its lazy-pages daemon ended well, which it does right after its CLOSE
            if (!relay.targetClosed(10_000)) {
                log.warn(
                        "migration {}: the target reports all pages fetched but has not closed its page session",
                        migrationId);
            }
            relay.commit();
        } catch (IOException e) {
            log.warn("migration {}: cannot end CRIU's page session as complete: {}", migrationId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int exit = endDump();
        if (exit != 0) {
            log.warn(
                    "migration {}: the lazy dump ended with exit {} after the target took over: {}",
                    migrationId,
                    exit,
                    dump.output());
        }
        // paused before the dump, its killed processes stay frozen for runc: deleting thaws and reaps them
        runtime.delete(containerId);
    }

    /**
     * Unlocks while the container is still frozen: running with its sockets in repair mode, it would get EPERM from
     * every read and might give up its connections (or exit) before they could be unlocked.
     */
    @Override
    public void resumeHere() {
        CriuNetworkLock.release(runtime.processes(containerId), namespace, runtime.dumpLog(workDir));
        relay.fail();
        int exit = endDump();
        if (exit == 0) {
            throw new IllegalStateException("the lazy dump of " + containerId + " reported success although it was"
                    + " failed on purpose: its processes were killed");
        }
        runtime.resume(containerId);
    }

    /**
     * Waits (bounded) for the target's page session to end first: a target whose answers were lost may still be
     * fetching the pages its running copy needs. The processes are killed before the session ends: a failed dump
     * hands them back alive to the frozen cgroup, which runc's delete thaws.
     */
    @Override
    public void discard() {
        try {
            relay.targetClosed(TARGET_SESSION.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StaleCopy.kill(runtime, containerId);
        relay.fail();
        endDump();
        runtime.delete(containerId);
    }

    private int endDump() {
        try {
            if (!dump.waitFor(DUMP_END)) {
                log.warn("migration {}: the lazy dump did not end within {}; killing it", migrationId, DUMP_END);
                dump.destroy();
            }
            return dump.exitCode();
        } finally {
            relay.close();
        }
    }
}

package dev.kompact.agent.runtime;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The container runtime of one node, as far as live migration needs it.
 *
 * <p>{@link RuncRuntime} is the implementation used on emulated nodes and in tests. On a real Kubernetes node the
 * production path is the CRI: the kubelet's checkpoint API ({@code POST /checkpoint/{namespace}/{pod}/{container}},
 * feature gate {@code ContainerCheckpoint}) makes containerd or CRI-O write a checkpoint archive, and the target
 * restores it by creating a container from that archive (CRI-O restores from a checkpoint image; containerd through
 * its CRI plugin). That adapter is not written yet: it needs a kubelet to test against, and this interface is
 * the seam it plugs into.
 */
public interface ContainerRuntime {

    /** Name and version, reported in the agent's capabilities. */
    String description();

    Optional<ContainerInfo> find(String containerId);

    /**
     * Dumps the container into {@code imageDir} with its established TCP connections; the container is stopped
     * afterwards. With a {@code parent} (the last pre-dump, relative to {@code imageDir}) only pages dirtied since
     * that pre-dump are written; the image then needs its parent chain to restore. When this throws, the runtime has
     * resumed the container (CRIU thaws it on a failed dump).
     */
    void checkpoint(String containerId, Path imageDir, Path workDir, Optional<Path> parent);

    /**
     * Dumps a {@link #pause paused} container into {@code imageDir} with its established TCP connections and leaves it
     * paused, its processes intact: a pod's containers are frozen together first, then dumped one by one, and resume
     * (or are killed) together afterwards.
     */
    void checkpointPaused(String containerId, Path imageDir, Path workDir);

    /** SIGKILL to every process of the container; frozen ones die once thawed ({@link #resume}). */
    void kill(String containerId);

    /**
     * Pre-copy: dumps the container's memory into {@code imageDir} while it keeps running; with a {@code parent} (a
     * previous pre-dump, relative to {@code imageDir}) only the pages dirtied since. Needs the kernel's soft-dirty
     * tracking. The container runs afterwards, whether this succeeds or throws.
     */
    void preDump(String containerId, Path imageDir, Path workDir, Optional<Path> parent);

    /** Restores a checkpoint as a detached container of this node; it runs when this returns. */
    void restore(String containerId, Path bundle, Path imageDir, Path workDir);

    /**
     * Post-copy source: dumps the {@link #pause paused} container without its memory pages, which CRIU then serves on
     * 127.0.0.1:{@code pagePort} to one lazy-pages client, inside a network namespace of the dump's own
     * (/proc/PID/ns/net of the returned process): no process of the node's network can reach it, only one that joins
     * that namespace. Returns once that page server is ready. The dump process
     * ends successfully once the client closed the session (the container's processes are killed; it may still need
     * {@link #delete}), or not: the container is left paused, its network still locked (see {@code CriuNetworkLock}),
     * for {@link #resume}. When this throws, the container is still paused.
     */
    ReadyProcess checkpointLazy(String containerId, Path imageDir, Path workDir, int pagePort);

    /**
     * Post-copy target: starts a lazy-pages daemon fetching from {@code pages}, tells {@code daemonStarted} its pid
     * (the one process that may connect there), then restores the container, which runs when this returns while its
     * memory is still being fetched. The returned daemon exits 0 once every page arrived. When this throws, neither
     * the daemon nor the container is left.
     */
    ReadyProcess restoreLazy(
            String containerId,
            Path bundle,
            Path imageDir,
            Path workDir,
            InetSocketAddress pages,
            LongConsumer daemonStarted);

    /** Freezes every process of the container (cgroup freezer); it keeps its state until {@link #resume}. */
    void pause(String containerId);

    /** Thaws a paused container; does nothing when it is not paused. */
    void resume(String containerId);

    /** The process ids of a running or paused container. */
    List<Long> processes(String containerId);

    /** Kills and removes the container; does nothing when it does not exist. */
    void delete(String containerId);

    /** CRIU's log of a checkpoint, lazy or not, given the work directory it ran with. */
    Path dumpLog(Path workDir);

    /** CRIU's log of a restore, lazy or not, given the work directory it ran with. */
    Path restoreLog(Path workDir);

    /** The lazy-pages daemon's log of {@link #restoreLazy}, given its work directory. */
    Path lazyPagesLog(Path workDir);

    record ContainerInfo(String id, String status, Path bundle) {
        public boolean running() {
            return "running".equals(status);
        }
    }
}

package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CriuLog;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.transfer.ImageSender;
import dev.kompact.agent.transfer.TransferRate;
import dev.kompact.agent.transfer.TreeSnapshot;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PrepareRequest;
import dev.kompact.agent.v1.RestoreRequest;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live migration of a container from this node (the source) to a target agent: the commit point.
 *
 * <ol>
 *   <li>Inspect: the container runs here, joins a pod network namespace under /run/netns, that namespace has an
 *       address, and the container bind-mounts nothing from the node (that content would not be on the target).
 *       Any failure: the request is rejected, nothing was touched (the executor then evicts the pod instead).</li>
 *   <li>Prepare the target: it creates the pod namespace with the address, link down. Failure (target unreachable,
 *       container already there): rejected, the source untouched.</li>
 *   <li>Record the migration in its work directory, so that {@link SourceRecovery} can finish it if this agent
 *       process dies before step 9.</li>
 *   <li>While the container runs, send its bundle (config and rootfs), and with pre-copy its memory in rounds
 *       ({@link PreDumps}, {@link PreCopyRounds}): each round a pre-dump of the pages dirtied since the previous
 *       one, streamed to the target as soon as written. Any failure: the target is aborted, the container was never
 *       stopped.</li>
 *   <li>Checkpoint; the container is frozen from here, its TCP connections locked by CRIU (repair mode, and an
 *       nftables table in the pod's namespace). Stop-and-copy: CRIU dumps everything, memory included, and runc
 *       removes the container (pre-copy: the final dump holds only the pages dirtied since the last round, and names
 *       it as its parent). Post-copy ({@link LazyCheckpoint}): CRIU dumps all but the memory, and keeps the
 *       frozen container to serve its pages through this agent's {@link PageRelay} (mutual TLS). If the dump fails
 *       CRIU resumes the container: it still runs here; the target is aborted.</li>
 *   <li>Transfer: stream the checkpoint to the target, and the bundle again only if it changed after it was sent
 *       ({@link TreeSnapshot}: a runc rootfs is writable).</li>
 *   <li>Switch: bring the source's pod link down, so that the address answers only on the target from now on.</li>
 *   <li>Restore on the target; it persists its commit as soon as the container runs there, before answering.
 *       Post-copy: the restored container runs at once and faults its pages in through the relay; the target answers
 *       once its lazy-pages daemon fetched every page. <b>Commit point:</b> Restore returned OK, or the Abort sent
 *       after any failed Restore is refused because the target committed.</li>
 *   <li>Commit: post-copy ends CRIU's page session as complete (the dump succeeds, runc deletes the frozen source);
 *       then delete the source's namespace (with CRIU's lock), the local image and the record.</li>
 * </ol>
 * Rollback, on any failure after 5 and before the commit point: the target is aborted first, then the source's link
 * comes back up and the container resumes here: stop-and-copy restores it from the local image, kept until now for
 * this; post-copy releases CRIU's network lock while the container is still frozen, then fails CRIU's page session
 * so that CRIU resumes it, with its connections and memory as they were.
 *
 * <p>Guarantees: never two running copies, because the source runs again only after the target confirmed that it
 * has no copy (Abort OK, or Restore failed with the target's own answer and Abort then could not reach it; the
 * target's Abort and Restore exclude each other). If the target's answer is unknown (Restore and Abort both lost)
 * the container stays stopped on this node (stop-and-copy: image kept; post-copy: still frozen by its lazy dump,
 * which keeps serving pages) and the migration is FAILED with where it is: an operator decides. The image never
 * stays on disk after a commit or a rollback.
 *
 * <p>Post-copy has one window that cannot be rolled back: from the moment the target's container runs until its last
 * page arrived. The source copy is stale from that moment (the target has answered the pod's clients), and the
 * target's copy is incomplete. If the page transfer fails in that window (either node or the link between them
 * dies), the target kills its copy (pages it never got would read as zeroes), and the source deletes its own: the
 * pod is lost, reported as DATA_LOSS, never duplicated. The window lasts the page fetch (0.2-3 s measured for
 * 64 MiB-1 GiB on one host); stop-and-copy has no such window, at the price of a longer freeze.
 */
final class SourceMigration {
    private static final Logger log = LoggerFactory.getLogger(SourceMigration.class);
    private static final long RPC_SECONDS = 30;
    /** Post-copy: Restore answers once the target holds every page. */
    private static final long LAZY_RESTORE_SECONDS = 600;
    /**
     * Restore failures that are the target's own answer, not a lost one: the target then holds no container. ABORTED
     * is the target's "restore failed and rolled back"; INTERNAL is not here: it is also what an unexpected failure
     * after the container ran (e.g. persisting the commit) answers, or a proxy's or the transport's own error.
     */
    private static final EnumSet<Status.Code> DEFINITE = EnumSet.of(
            Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.ABORTED,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.PERMISSION_DENIED,
            Status.Code.UNIMPLEMENTED);

    private final MigrateRequest request;
    private final String nodeName;
    private final ContainerRuntime runtime;
    private final PodNetwork network;
    private final PeerAgents peers;
    private final Path workDir;
    private final long transferBytesPerSecond;
    private final String listenHost;
    private final SSLContext pageTls;
    final MigrationRecord record;
    private volatile String abortReason;
    /** Over every stream of this migration: bundle, pre-copy rounds, the final image. */
    private long bytesSent;

    SourceMigration(
            MigrateRequest request,
            String nodeName,
            ContainerRuntime runtime,
            PodNetwork network,
            PeerAgents peers,
            Path workDir,
            long transferBytesPerSecond,
            String listenHost,
            SSLContext pageTls) {
        this.request = request;
        this.nodeName = nodeName;
        this.runtime = runtime;
        this.network = network;
        this.peers = peers;
        this.workDir = workDir;
        this.transferBytesPerSecond = transferBytesPerSecond;
        this.listenHost = listenHost;
        this.pageTls = pageTls;
        this.record = new MigrationRecord(request.getMigrationId(), request.getContainerId(), Phase.PREPARING);
    }

    /** Asks a migration that has not reached its commit point to roll back at its next step. */
    void requestAbort(String reason) {
        abortReason = reason.isEmpty() ? "aborted by request" : reason;
    }

    /** Runs the migration; returns when committed, throws with the cause after a rollback or a failure. */
    void run(Strategy strategy) {
        try {
            runSteps(strategy);
        } catch (StatusRuntimeException e) {
            if (record.phase() == Phase.PREPARING) {
                record.failed(Phase.REJECTED, e.getStatus().getDescription());
            }
            throw e;
        }
    }

    private void runSteps(Strategy strategy) {
        String id = request.getMigrationId();
        String containerId = request.getContainerId();
        String target = request.getTargetAddress();
        record.strategy(strategy);
        long start = System.nanoTime();

        // 1. inspect
        ContainerRuntime.ContainerInfo container = runtime.find(containerId)
                .orElseThrow(() -> Status.NOT_FOUND
                        .withDescription("container " + containerId + " does not exist on node " + nodeName)
                        .asRuntimeException());
        if (!container.running()) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("container " + containerId + " on node " + nodeName + " is " + container.status()
                            + ", not running: only a running container can be live-migrated")
                    .asRuntimeException();
        }
        BundleConfig config = BundleConfig.read(container.bundle());
        Path namespace = config.networkNamespace()
                .orElseThrow(() -> Status.FAILED_PRECONDITION
                        .withDescription("container " + containerId + " has no network namespace of its"
                                + " own (config.json linux.namespaces network path): its address cannot move")
                        .asRuntimeException());
        List<String> hostMounts = config.hostBindMounts();
        if (!hostMounts.isEmpty()) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("container " + containerId + " on node " + nodeName
                            + " bind-mounts " + String.join(", ", hostMounts)
                            + ": that content stays on this node and would not be"
                            + " there on the target; move the pod by eviction instead")
                    .asRuntimeException();
        }
        PodNetwork.Address address = network.addressOf(namespace);

        // 2. prepare the target
        try {
            var podNetwork = dev.kompact.agent.v1.PodNetwork.newBuilder()
                    .setAddressCidr(address.cidr())
                    .setInterfaceName(address.interfaceName());
            peers.blocking(target)
                    .withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS)
                    .prepare(PrepareRequest.newBuilder()
                            .setMigrationId(id)
                            .setContainerId(containerId)
                            .setSourceNode(nodeName)
                            .setNetwork(podNetwork)
                            .setStrategy(strategy)
                            .build());
        } catch (StatusRuntimeException e) {
            throw targetFailure("prepare", e);
        }
        record.timings(t -> t.setPrepareMillis(millisSince(start)));
        checkNotAborted(target, null);
        int criuPort = strategy == Strategy.POST_COPY ? PageRelay.freeLoopbackPort() : 0;
        new SourceRecovery.Outgoing(id, containerId, container.bundle(), namespace, address, target, criuPort)
                .save(workDir);

        // 3a. while the container runs: its bundle, then pre-copy's rounds, each streamed to the target when written
        TreeSnapshot bundleSent;
        int preDumps = 0;
        try {
            bundleSent = TreeSnapshot.of(container.bundle());
            send(target, Map.of("bundle", container.bundle()));
            if (strategy == Strategy.PRE_COPY) {
                preDumps = PreDumps.run(
                        containerId,
                        workDir,
                        runtime,
                        PreCopyRounds.standard(),
                        (name, dir) -> send(target, Map.of(name, dir)));
                log.info("migration {}: {} pre-copy rounds sent", id, preDumps);
            }
        } catch (RuntimeException e) {
            abortTarget(target, "sending ahead of the freeze failed on the source");
            FileTrees.deleteTree(workDir);
            Status status = e instanceof StatusRuntimeException s ? s.getStatus() : Status.INTERNAL;
            throw status.withDescription("sending " + containerId + " to " + target + " before the freeze failed ("
                            + (e instanceof StatusRuntimeException ? status.getDescription() : e.getMessage())
                            + "); it still runs"
                            + " on node " + nodeName)
                    .asRuntimeException();
        }

        // 3b. checkpoint: the container is frozen from here
        Path image = workDir.resolve("checkpoint");
        BundleComparison bundleChange = new BundleComparison(bundleSent, container.bundle());
        PageRelay relay = strategy == Strategy.POST_COPY ? openRelay(target, criuPort) : null;
        ImageStream imageStream = new ImageStream(peers.async(target));
        record.phase(Phase.CHECKPOINTING);
        long freezeStart = System.nanoTime();
        SourceCheckpoint checkpoint;
        try {
            checkpoint = strategy == Strategy.POST_COPY
                    ? LazyCheckpoint.start(
                            id,
                            containerId,
                            namespace,
                            image,
                            workDir.resolve("work"),
                            runtime,
                            relay,
                            listenHost,
                            bundleChange::start)
                    : FullCheckpoint.take(
                            containerId, container.bundle(), image, workDir, runtime, PreDumps.parentAfter(preDumps));
        } catch (RuntimeException e) {
            imageStream.cancel(e);
            abortTarget(target, "checkpoint failed on the source");
            FileTrees.deleteTree(workDir);
            String why = "checkpoint of " + containerId + " failed on node " + nodeName + "; it still runs there: "
                    + e.getMessage();
            record.failed(Phase.REJECTED, why);
            throw Status.INTERNAL.withDescription(why).asRuntimeException();
        }
        long checkpointMillis = millisSince(freezeStart);
        long criuCheckpointMillis =
                CriuLog.elapsedMillis(runtime.dumpLog(workDir.resolve("work"))).orElse(0);
        record.timings(t -> t.setCheckpointMillis(checkpointMillis).setCriuCheckpointMillis(criuCheckpointMillis));

        Rollback rollback = new Rollback(containerId, checkpoint, image, namespace, address, target, freezeStart);
        // 4. transfer: the image, and the bundle again only if the container changed it since it was sent
        record.phase(Phase.TRANSFERRING);
        long transferStart = System.nanoTime();
        try {
            Map<String, Path> roots = new LinkedHashMap<>();
            roots.put("checkpoint", image);
            Optional<String> changed = bundleChange.difference();
            if (changed.isPresent()) {
                log.info(
                        "migration {}: the bundle of {} changed since it was sent ({}): sending it again",
                        id,
                        containerId,
                        changed.get());
                roots.put("bundle", container.bundle());
            }
            send(imageStream, roots);
            record.imageBytes(bytesSent);
        } catch (StatusRuntimeException e) {
            imageStream.cancel(e);
            throw rollback.run("image transfer to " + target + " failed", e.getStatus(), true);
        } catch (RuntimeException e) {
            imageStream.cancel(e);
            throw rollback.run(
                    "image transfer to " + target + " failed", Status.INTERNAL.withDescription(e.getMessage()), true);
        }
        record.timings(t -> t.setTransferMillis(millisSince(transferStart)));
        checkNotAborted(target, rollback);

        // 5. switch the address over, 6. restore on the target
        record.phase(Phase.RESTORING);
        long restoreStart = System.nanoTime();
        RestoreResponse restored = null;
        try {
            network.linkDown(namespace, address);
            long deadline = strategy == Strategy.POST_COPY ? LAZY_RESTORE_SECONDS : RPC_SECONDS;
            restored = peers.blocking(target)
                    .withDeadlineAfter(deadline, TimeUnit.SECONDS)
                    .restore(RestoreRequest.newBuilder()
                            .setMigrationId(id)
                            .setPageServerAddress(checkpoint.pageServerAddress())
                            .build());
        } catch (StatusRuntimeException e) {
            switch (abortAfterFailedRestore(target)) {
                case COMMITTED -> {
                    checkpoint.discard();
                    if (e.getStatus().getCode() == Status.Code.DATA_LOSS) {
                        record.failed(
                                Phase.FAILED,
                                "migration " + id + " of " + containerId + " failed after the target "
                                        + request.getTargetNode() + " started it: "
                                        + e.getStatus().getDescription()
                                        + ". The source copy was stale and is deleted too: the pod is lost");
                        throw Status.DATA_LOSS
                                .withDescription(record.snapshot().getError())
                                .asRuntimeException();
                    }
                    log.info("migration {}: Restore's answer was lost, but the target committed", id);
                }
                case ABORTED -> throw rollback.run("restore on " + target + " failed", e.getStatus(), false);
                case UNKNOWN -> {
                    if (DEFINITE.contains(e.getStatus().getCode())) {
                        throw rollback.run("restore on " + target + " failed", e.getStatus(), false);
                    }
                    String kept = strategy == Strategy.POST_COPY
                            ? "it stays frozen here by its lazy dump (runc checkpoint --lazy-pages, work path "
                                    + workDir
                                    + "/work), which serves its pages to the target as long as the target asks"
                            : "its image is kept in " + image + ". Check node " + request.getTargetNode()
                                    + ": if the container" + " runs there, delete " + workDir
                                    + "; if not, restore it here with runc restore from that image";
                    record.failed(
                            Phase.FAILED,
                            "target " + target + " answered neither Restore nor Abort: " + containerId
                                    + " is stopped on both nodes as far as " + nodeName + " knows; " + kept);
                    throw Status.UNAVAILABLE
                            .withDescription(record.snapshot().getError())
                            .asRuntimeException();
                }
            }
        } catch (RuntimeException e) {
            throw rollback.run("cannot switch the pod address", Status.INTERNAL.withDescription(e.getMessage()), true);
        }
        long answered = System.nanoTime();
        if (restored != null) {
            try {
                checkpoint.targetRuns();
            } catch (RuntimeException e) {
                log.warn("migration {} committed, but ending the source's copy failed: {}", id, e.getMessage());
            }
        }
        // post-copy: Restore answers once every page arrived, pages_millis after the pod ran again on the target
        long pagesMillis = restored == null ? 0 : restored.getPagesMillis();
        long criuRestoreMillis = restored == null ? 0 : restored.getCriuRestoreMillis();
        long freezeEnd = answered - pagesMillis * 1_000_000;

        // 7. commit: the container runs on the target only
        record.phase(Phase.COMMITTED);
        record.timings(t -> t.setRestoreMillis((freezeEnd - restoreStart) / 1_000_000)
                .setCriuRestoreMillis(criuRestoreMillis)
                .setFreezeMillis((freezeEnd - freezeStart) / 1_000_000)
                .setPagesMillis(pagesMillis)
                .setTotalMillis(millisSince(start)));
        try {
            network.delete(namespace);
            FileTrees.deleteTree(workDir);
        } catch (RuntimeException e) {
            log.warn(
                    "migration {} committed, but cleaning up the source failed (delete {} and {} by hand): {}",
                    id,
                    namespace,
                    workDir,
                    e.getMessage());
        }
        log.info("migration {} committed: {} moved from {} to {}", id, containerId, nodeName, request.getTargetNode());
    }

    private enum TargetAnswer {
        ABORTED,
        COMMITTED,
        UNKNOWN
    }

    /** Whatever Restore's error, only the target can say whether a copy runs there: Abort makes sure none will. */
    private TargetAnswer abortAfterFailedRestore(String target) {
        try {
            peers.blocking(target)
                    .withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS)
                    .abort(AbortRequest.newBuilder()
                            .setMigrationId(request.getMigrationId())
                            .setReason("restore failed or its answer was lost")
                            .build());
            return TargetAnswer.ABORTED;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
                    ? TargetAnswer.COMMITTED
                    : TargetAnswer.UNKNOWN;
        }
    }

    /** Opened before the freeze; the target may connect only once it has the checkpoint. */
    private PageRelay openRelay(String target, int criuPort) {
        try {
            return new PageRelay(
                    request.getMigrationId(),
                    pageTls,
                    listenHost,
                    hostOf(target),
                    request.getTargetNode(),
                    criuPort,
                    new TransferRate(transferBytesPerSecond));
        } catch (IOException e) {
            abortTarget(target, "the source cannot open its page relay");
            FileTrees.deleteTree(workDir);
            throw Status.INTERNAL
                    .withDescription("cannot open the page relay on " + listenHost + " for " + request.getContainerId()
                            + " (" + e.getMessage() + "); it still runs on " + nodeName)
                    .asRuntimeException();
        }
    }

    private static InetAddress hostOf(String address) {
        String host = address.substring(0, Math.max(0, address.lastIndexOf(':')));
        try {
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("target address " + address + " has no resolvable host", e);
        }
    }

    private void send(String target, Map<String, Path> roots) {
        send(new ImageStream(peers.async(target)), roots);
    }

    private void send(ImageStream stream, Map<String, Path> roots) {
        var sender = new ImageSender(request.getMigrationId(), roots, new TransferRate(transferBytesPerSecond));
        bytesSent += stream.send(sender, () -> abortReason);
    }

    private void checkNotAborted(String target, Rollback rollback) {
        String reason = abortReason;
        if (reason == null) {
            return;
        }
        if (rollback == null) {
            abortTarget(target, reason);
            FileTrees.deleteTree(workDir);
            throw Status.ABORTED
                    .withDescription(
                            "migration " + request.getMigrationId() + " aborted before the" + " checkpoint: " + reason)
                    .asRuntimeException();
        }
        throw rollback.run("aborted by request", Status.ABORTED.withDescription(reason), true);
    }

    /** Best effort: the target agent may be gone; it cleans up what is left when it starts again. */
    private void abortTarget(String target, String reason) {
        try {
            peers.blocking(target)
                    .withDeadlineAfter(RPC_SECONDS, TimeUnit.SECONDS)
                    .abort(AbortRequest.newBuilder()
                            .setMigrationId(request.getMigrationId())
                            .setReason(reason)
                            .build());
        } catch (StatusRuntimeException e) {
            log.warn(
                    "migration {}: abort on target {} failed ({}); it cleans up when its agent restarts",
                    request.getMigrationId(),
                    target,
                    e.getStatus());
        }
    }

    private StatusRuntimeException targetFailure(String step, StatusRuntimeException e) {
        String why = e.getStatus().getCode() == Status.Code.UNAVAILABLE
                        || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                ? "target agent " + request.getTargetAddress() + " is unreachable"
                : "target agent refused";
        return e.getStatus()
                .withDescription(step + " of " + request.getContainerId() + " failed, " + why + " ("
                        + e.getStatus().getDescription() + "); the container still runs on " + nodeName)
                .asRuntimeException();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Resumes the container on the source after the target has (or must have) no copy of it. */
    private final class Rollback {
        private final String containerId;
        private final SourceCheckpoint checkpoint;
        private final Path image;
        private final Path namespace;
        private final PodNetwork.Address address;
        private final String target;
        private final long freezeStart;

        Rollback(
                String containerId,
                SourceCheckpoint checkpoint,
                Path image,
                Path namespace,
                PodNetwork.Address address,
                String target,
                long freezeStart) {
            this.containerId = containerId;
            this.checkpoint = checkpoint;
            this.image = image;
            this.namespace = namespace;
            this.address = address;
            this.target = target;
            this.freezeStart = freezeStart;
        }

        StatusRuntimeException run(String what, Status cause, boolean abortTarget) {
            if (abortTarget) {
                abortTarget(target, what);
            }
            try {
                network.linkUp(namespace, address);
                checkpoint.resumeHere();
                network.announce(namespace, address);
            } catch (RuntimeException e) {
                record.failed(
                        Phase.FAILED,
                        what + " and resuming the source failed too: " + e.getMessage() + "; the image is kept in "
                                + image);
                return Status.DATA_LOSS
                        .withDescription(record.snapshot().getError())
                        .asRuntimeException();
            }
            long freeze = millisSince(freezeStart);
            record.timings(t -> t.setFreezeMillis(freeze));
            FileTrees.deleteTree(workDir);
            String message = "migration " + request.getMigrationId() + " rolled back, " + containerId + " runs on "
                    + nodeName + " again: " + what + ": " + cause.getCode() + " " + cause.getDescription();
            record.failed(Phase.ROLLED_BACK, message);
            log.warn(message);
            return cause.withDescription(message).asRuntimeException();
        }
    }
}

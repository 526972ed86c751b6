package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CriuLog;
import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.transfer.ImageSender;
import dev.kompact.agent.transfer.TransferRate;
import dev.kompact.agent.transfer.TreeSnapshot;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
 * <p>The steps stay together in {@link #runSteps}, so that the commit point and every rollback read in order; what
 * makes a container migratable, the calls to the target and the rollback are apart ({@link MigratableContainer},
 * {@link TargetAgent}, {@link SourceRollback}). That ordering is why this class is over 400 lines: split by step,
 * the rollback owed at each point would be spread over files.
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
 * 64 MiB-1 GiB on one host, 2.7-10 s for a 380 MB Redis under load); stop-and-copy has no such window, at the price
 * of a longer freeze. The source knows that the window opened from the target's first page request (its relay
 * records it in the work directory, for {@link SourceRecovery} too): after that, an unreachable target means the
 * copy here is stale, so it is deleted and the answer is DATA_LOSS; it is never resumed.
 */
final class SourceMigration {
    private static final Logger log = LoggerFactory.getLogger(SourceMigration.class);
    /** Bounds the wait for the target's page session to end before the copy serving it is deleted. */
    private static final long TARGET_SESSION_MILLIS = 30_000;

    private final MigrateRequest request;
    private final String nodeName;
    private final ContainerRuntime runtime;
    private final PodNetwork network;
    private final TargetAgent target;
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
        this.target = new TargetAgent(
                peers, request.getTargetAddress(), request.getMigrationId(), request.getContainerId(), nodeName);
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
        record.strategy(strategy);
        long start = System.nanoTime();

        // 1. inspect
        MigratableContainer container = MigratableContainer.inspect(runtime, network, containerId, nodeName);
        Path namespace = container.namespace();
        PodNetwork.Address address = container.address();

        // 2. prepare the target
        target.prepare(address, strategy);
        record.timings(t -> t.setPrepareMillis(millisSince(start)));
        checkNotAborted(null);
        int criuPort = strategy == Strategy.POST_COPY ? PageRelay.freeLoopbackPort() : 0;
        new SourceRecovery.Outgoing(id, containerId, container.bundle(), namespace, address, target.address(), criuPort)
                .save(workDir);

        // 3a. while the container runs: its bundle, then pre-copy's rounds, each streamed to the target when written
        TreeSnapshot bundleSent;
        int preDumps = 0;
        try {
            bundleSent = TreeSnapshot.of(container.bundle());
            send(target.imageStream(), Map.of("bundle", container.bundle()));
            if (strategy == Strategy.PRE_COPY) {
                preDumps = PreDumps.run(
                        containerId,
                        workDir,
                        runtime,
                        PreCopyRounds.standard(),
                        (name, dir) -> send(target.imageStream(), Map.of(name, dir)));
                log.info("migration {}: {} pre-copy rounds sent", id, preDumps);
            }
        } catch (RuntimeException e) {
            target.abortQuietly("sending ahead of the freeze failed on the source");
            FileTrees.deleteTree(workDir);
            Status status = e instanceof StatusRuntimeException s ? s.getStatus() : Status.INTERNAL;
            throw status.withDescription("sending " + containerId + " to " + target.address()
                            + " before the freeze failed ("
                            + (e instanceof StatusRuntimeException ? status.getDescription() : e.getMessage())
                            + "); it still runs on node " + nodeName)
                    .asRuntimeException();
        }

        // 3b. checkpoint: the container is frozen from here
        Path image = workDir.resolve("checkpoint");
        BundleComparison bundleChange = new BundleComparison(bundleSent, container.bundle());
        PageRelay relay = strategy == Strategy.POST_COPY ? openRelay(criuPort) : null;
        ImageStream imageStream = target.imageStream();
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
            target.abortQuietly("checkpoint failed on the source");
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

        SourceRollback rollback = new SourceRollback(
                id,
                containerId,
                nodeName,
                checkpoint,
                image,
                namespace,
                address,
                network,
                target,
                record,
                workDir,
                freezeStart);
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
            throw rollback.run("image transfer to " + target.address() + " failed", e.getStatus(), true);
        } catch (RuntimeException e) {
            imageStream.cancel(e);
            throw rollback.run(
                    "image transfer to " + target.address() + " failed",
                    Status.INTERNAL.withDescription(e.getMessage()),
                    true);
        }
        record.timings(t -> t.setTransferMillis(millisSince(transferStart)));
        checkNotAborted(rollback);

        // 5. switch the address over, 6. restore on the target
        record.phase(Phase.RESTORING);
        long restoreStart = System.nanoTime();
        RestoreResponse restored = null;
        try {
            network.linkDown(namespace, address);
            restored = target.restore(checkpoint.pageServerAddress());
        } catch (StatusRuntimeException e) {
            afterFailedRestore(e.getStatus(), checkpoint, rollback, namespace, image);
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
        deleteSourceCopy(namespace);
        log.info("migration {} committed: {} moved from {} to {}", id, containerId, nodeName, request.getTargetNode());
    }

    /**
     * Returns only when the target committed and its answer was lost; throws after a rollback, or with what is known
     * when the target's copy ran and failed (DATA_LOSS) or cannot be asked (UNAVAILABLE).
     */
    private void afterFailedRestore(
            Status error, SourceCheckpoint checkpoint, SourceRollback rollback, Path namespace, Path image) {
        String id = request.getMigrationId();
        String containerId = request.getContainerId();
        String targetNode = request.getTargetNode();
        switch (target.abortAfterFailedRestore(error)) {
            case ABORTED -> throw rollback.run("restore on " + target.address() + " failed", error, false);
            case COMMITTED -> {
                checkpoint.discard();
                if (error.getCode() == Status.Code.DATA_LOSS) {
                    deleteSourceCopy(namespace);
                    throw lost("migration " + id + " of " + containerId + " failed after the target " + targetNode
                            + " started it: " + error.getDescription()
                            + ". The source copy was stale and is deleted too: the pod is lost");
                }
                log.info("migration {}: Restore's answer was lost, but the target committed", id);
            }
            case UNKNOWN -> {
                if (checkpoint.targetStarted()) {
                    checkpoint.discard();
                    deleteSourceCopy(namespace);
                    throw lost("migration " + id + ": the target " + targetNode + " started " + containerId
                            + " (it asked for its memory), then answered neither Restore nor Abort ("
                            + error.getCode() + " " + error.getDescription() + "). What the pod did there is newer"
                            + " than the frozen copy on " + nodeName + ", which is deleted, never resumed. The pod"
                            + " survives only if " + targetNode + " had received all its memory: GetMigration on "
                            + targetNode + " answers COMMITTED if it runs there, FAILED if it is lost");
                }
                String kept = checkpoint.pageServerAddress().isEmpty()
                        ? "its image is kept in " + image + ". Check node " + targetNode + ": if the container"
                                + " runs there, delete " + workDir + "; if not, restore it here with runc restore"
                                + " from that image"
                        : "it stays frozen here by its lazy dump (work path " + workDir + "/work), serving its"
                                + " pages as long as the target asks. Do not resume it by hand: the target may have"
                                + " started it. This agent resumes it at its next start only if the target confirms"
                                + " that it has no copy, and deletes it if the target committed";
                record.failed(
                        Phase.FAILED,
                        "target " + target.address() + " answered neither Restore nor Abort (" + error.getCode()
                                + "): whether " + containerId + " runs there is unknown to " + nodeName + "; "
                                + kept);
                throw Status.UNAVAILABLE
                        .withDescription(record.snapshot().getError())
                        .asRuntimeException();
            }
        }
    }

    private StatusRuntimeException lost(String message) {
        record.failed(Phase.FAILED, message);
        log.error(message);
        return Status.DATA_LOSS.withDescription(message).asRuntimeException();
    }

    /** After the commit, or once the target's copy ran: nothing of the pod is needed here any more. */
    private void deleteSourceCopy(Path namespace) {
        try {
            network.delete(namespace);
            FileTrees.deleteTree(workDir);
        } catch (RuntimeException e) {
            log.warn(
                    "migration {}: cleaning up the source failed (delete {} and {} by hand): {}",
                    request.getMigrationId(),
                    namespace,
                    workDir,
                    e.getMessage());
        }
    }

    /** Opened before the freeze; the target may connect only once it has the checkpoint. */
    private PageRelay openRelay(int criuPort) {
        try {
            return new PageRelay(
                    request.getMigrationId(),
                    pageTls,
                    listenHost,
                    target.host(),
                    request.getTargetNode(),
                    criuPort,
                    new TransferRate(transferBytesPerSecond),
                    () -> SourceRecovery.markTargetStarted(workDir));
        } catch (IOException e) {
            target.abortQuietly("the source cannot open its page relay");
            FileTrees.deleteTree(workDir);
            throw Status.INTERNAL
                    .withDescription("cannot open the page relay on " + listenHost + " for " + request.getContainerId()
                            + " (" + e.getMessage() + "); it still runs on " + nodeName)
                    .asRuntimeException();
        }
    }

    private void send(ImageStream stream, Map<String, Path> roots) {
        var sender = new ImageSender(request.getMigrationId(), roots, new TransferRate(transferBytesPerSecond));
        bytesSent += stream.send(sender, () -> abortReason);
    }

    private void checkNotAborted(SourceRollback rollback) {
        String reason = abortReason;
        if (reason == null) {
            return;
        }
        if (rollback == null) {
            target.abortQuietly(reason);
            FileTrees.deleteTree(workDir);
            throw Status.ABORTED
                    .withDescription(
                            "migration " + request.getMigrationId() + " aborted before the checkpoint: " + reason)
                    .asRuntimeException();
        }
        throw rollback.run("aborted by request", Status.ABORTED.withDescription(reason), true);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}

package dev.kompact.agent.migration;

import dev.kompact.agent.criu.CriuLog;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.transfer.ImageSender;
import dev.kompact.agent.transfer.TransferRate;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.RestoreResponse;
import dev.kompact.agent.v1.Strategy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live migration of a Kubernetes pod from this node to the target pod the controller created on the target
 * node, by stop-and-copy: the commit point of the pod handoff (docs/live-migration.md, "The Kubernetes handoff").
 *
 * <ol>
 *   <li>Inspect ({@link SourcePod}): the named containers run in containerd's runc root, belong to the named pod and
 *       share its sandbox. Failure: rejected, nothing touched.</li>
 *   <li>PreparePod on the target: it knows the target pod, the container names and the address. Failure: rejected.
 *   </li>
 *   <li>Freeze every container of the pod at once ({@link PodFreezer}), then take the sandbox's link down: from here
 *       no packet reaches the frozen copy, so nothing is acknowledged that the checkpoint would not hold.</li>
 *   <li>Checkpoint each container, left frozen (runc --leave-running): a failed dump leaves nothing changed.</li>
 *   <li>Transfer: one stream, root "pod", a directory per container name.</li>
 *   <li>RestorePod: the target restores each container into the target pod as its kubelet creates it, with this
 *       pod's address added. <b>Commit point:</b> RestorePod returned OK, or the Abort after a failed RestorePod is
 *       refused because the target committed.</li>
 *   <li>Commit: kill the frozen containers (the kubelet tears the sandbox down once the controller deleted the source
 *       pod); the link stays down, so the address answers only on the target.</li>
 * </ol>
 * Rollback, on any failure after 3 and before the commit point: the target is aborted first, then the link comes up
 * and the containers thaw, their memory and connections as they were. If the target cannot say whether it runs the
 * pod (RestorePod and Abort both lost), the pod stays frozen here and the migration is FAILED: never two running
 * copies.
 */
final class PodMigration {
    private static final Logger log = LoggerFactory.getLogger(PodMigration.class);

    private final PodMigrateRequest request;
    private final String nodeName;
    private final ContainerRuntime runtime;
    private final SandboxNetwork network;
    private final TargetAgent target;
    private final Path workDir;
    private final long transferBytesPerSecond;
    final MigrationRecord record;
    private volatile String abortReason;

    PodMigration(
            PodMigrateRequest request,
            String nodeName,
            ContainerRuntime runtime,
            SandboxNetwork network,
            PeerAgents peers,
            Path workDir,
            long transferBytesPerSecond) {
        this.request = request;
        this.nodeName = nodeName;
        this.runtime = runtime;
        this.network = network;
        this.target = new TargetAgent(peers, request.getTargetAddress(), request.getMigrationId(), podName(), nodeName);
        this.workDir = workDir;
        this.transferBytesPerSecond = transferBytesPerSecond;
        this.record = new MigrationRecord(request.getMigrationId(), podName(), Phase.PREPARING);
    }

    void requestAbort(String reason) {
        abortReason = reason.isEmpty() ? "aborted by request" : reason;
    }

    /** Runs the migration; returns when committed, throws with the cause after a rollback or a failure. */
    void run() {
        try {
            runSteps();
        } catch (StatusRuntimeException e) {
            if (record.phase() == Phase.PREPARING) {
                record.failed(Phase.REJECTED, e.getStatus().getDescription());
            }
            throw e;
        } finally {
            if (record.phase() != Phase.FAILED) {
                FileTrees.deleteTree(workDir);
            }
        }
    }

    private void runSteps() {
        record.strategy(Strategy.STOP_AND_COPY);
        long start = System.nanoTime();
        SourcePod pod = SourcePod.inspect(runtime, network, request, nodeName);
        target.preparePod(
                request.getTargetPod(),
                pod.names(),
                pod.address(),
                pod.carried(),
                request.hasTargetEni() ? Optional.of(request.getTargetEni()) : Optional.empty());
        record.timings(t -> t.setPrepareMillis(millisSince(start)));
        if (abortReason != null) {
            target.abortQuietly(abortReason);
            throw Status.ABORTED.withDescription(abortReason).asRuntimeException();
        }

        new SourcePodRecovery.Outgoing(
                        request.getMigrationId(),
                        request.getTargetAddress(),
                        pod.members().stream()
                                .map(SourcePod.Member::containerId)
                                .toList(),
                        pod.cgroupsPaths(),
                        pod.namespace(),
                        pod.address())
                .save(workDir);
        // opened before the freeze: setting up the stream would otherwise add to it
        ImageStream stream = target.imageStream();
        record.phase(Phase.CHECKPOINTING);
        long freezeStart = System.nanoTime();
        PodFreezer freezer = new PodFreezer(pod.cgroupsPaths());
        Path images = workDir.resolve("pod");
        long criuMillis = 0;
        try {
            freezer.freeze();
            network.linkDown(pod.namespace(), pod.address().interfaceName());
            for (SourcePod.Member member : pod.members()) {
                Path work = workDir.resolve("work").resolve(member.name());
                runtime.checkpointPaused(member.containerId(), images.resolve(member.name()), work);
                criuMillis += CriuLog.elapsedMillis(runtime.dumpLog(work)).orElse(0);
            }
        } catch (RuntimeException e) {
            stream.cancel(e);
            resume(pod, freezer);
            target.abortQuietly("checkpoint failed on the source");
            String why = "checkpoint of pod " + podName() + " failed on node " + nodeName + "; it runs there again: "
                    + e.getMessage();
            record.failed(Phase.REJECTED, why);
            throw Status.INTERNAL.withDescription(why).asRuntimeException();
        }
        long checkpointMillis = millisSince(freezeStart);
        long criuCheckpointMillis = criuMillis;
        record.timings(t -> t.setCheckpointMillis(checkpointMillis).setCriuCheckpointMillis(criuCheckpointMillis));

        record.phase(Phase.TRANSFERRING);
        long transferStart = System.nanoTime();
        try {
            var sender = new ImageSender(
                    request.getMigrationId(), Map.of("pod", images), new TransferRate(transferBytesPerSecond));
            record.imageBytes(stream.send(sender, () -> abortReason));
        } catch (RuntimeException e) {
            stream.cancel(e);
            Status status = e instanceof StatusRuntimeException s ? s.getStatus() : Status.INTERNAL;
            throw rollBack(pod, freezer, "image transfer to " + target.address() + " failed", status, e);
        }
        record.timings(t -> t.setTransferMillis(millisSince(transferStart)));
        if (abortReason != null) {
            throw rollBack(pod, freezer, "aborted by request", Status.ABORTED.withDescription(abortReason), null);
        }

        record.phase(Phase.RESTORING);
        long restoreStart = System.nanoTime();
        RestoreResponse restored = null;
        try {
            restored = target.restorePod();
        } catch (StatusRuntimeException e) {
            switch (target.abortAfterFailedRestore(e.getStatus())) {
                case ABORTED ->
                    throw rollBack(pod, freezer, "restore on " + target.address() + " failed", e.getStatus(), null);
                case COMMITTED ->
                    log.info(
                            "migration {}: RestorePod's answer was lost, but the target committed",
                            request.getMigrationId());
                case UNKNOWN -> {
                    String why = "target " + target.address() + " answered neither RestorePod nor Abort ("
                            + e.getStatus().getCode() + "): whether pod " + podName() + " runs there is unknown; it"
                            + " stays frozen on " + nodeName + " with its link down, its images in " + workDir
                            + ". Check node " + request.getTargetNode() + " (GetMigration) before thawing it";
                    record.failed(Phase.FAILED, why);
                    throw Status.UNAVAILABLE.withDescription(why).asRuntimeException();
                }
            }
        }
        long freezeEnd = System.nanoTime();
        long criuRestoreMillis = restored == null ? 0 : restored.getCriuRestoreMillis();
        // committed: the frozen copy must never run again
        for (SourcePod.Member member : pod.members()) {
            try {
                runtime.kill(member.containerId());
            } catch (RuntimeException e) {
                log.warn(
                        "migration {} committed, but killing {} failed: {}",
                        request.getMigrationId(),
                        member.containerId(),
                        e.getMessage());
            }
        }
        freezer.thaw();
        if (restored != null && !restored.getWarning().isEmpty()) {
            log.warn("migration {}: {}", request.getMigrationId(), restored.getWarning());
            record.warning(restored.getWarning());
        }
        record.phase(Phase.COMMITTED);
        record.timings(t -> t.setRestoreMillis((freezeEnd - restoreStart) / 1_000_000)
                .setCriuRestoreMillis(criuRestoreMillis)
                .setFreezeMillis((freezeEnd - freezeStart) / 1_000_000)
                .setTotalMillis(millisSince(start)));
        log.info(
                "migration {} committed: pod {} moved from {} to {}",
                request.getMigrationId(),
                podName(),
                nodeName,
                request.getTargetNode());
    }

    /** The target first, so that it holds no copy; only then the pod runs here again. */
    private StatusRuntimeException rollBack(
            SourcePod pod, PodFreezer freezer, String what, Status cause, RuntimeException e) {
        target.abortQuietly(what);
        resume(pod, freezer);
        String why = what + " (" + (cause.getDescription() != null ? cause.getDescription() : String.valueOf(e))
                + "); pod " + podName() + " runs on node " + nodeName + " again";
        record.failed(Phase.ROLLED_BACK, why);
        log.warn("migration {}: {}", request.getMigrationId(), why);
        return cause.withDescription(why).asRuntimeException();
    }

    private void resume(SourcePod pod, PodFreezer freezer) {
        network.linkUp(pod.namespace(), pod.address().interfaceName());
        freezer.thaw();
    }

    private String podName() {
        return request.getSourcePod().getNamespace() + "/"
                + request.getSourcePod().getName();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}

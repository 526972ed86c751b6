package dev.kompact.agent.migration;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.v1.Phase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resumes a frozen container on the source, once its target has (or must have) no copy of it. */
final class SourceRollback {
    private static final Logger log = LoggerFactory.getLogger(SourceRollback.class);

    private final String migrationId;
    private final String containerId;
    private final String nodeName;
    private final SourceCheckpoint checkpoint;
    private final Path image;
    private final Path namespace;
    private final PodNetwork.Address address;
    private final PodNetwork network;
    private final TargetAgent target;
    private final MigrationRecord record;
    private final Path workDir;
    private final long freezeStart;

    SourceRollback(
            String migrationId,
            String containerId,
            String nodeName,
            SourceCheckpoint checkpoint,
            Path image,
            Path namespace,
            PodNetwork.Address address,
            PodNetwork network,
            TargetAgent target,
            MigrationRecord record,
            Path workDir,
            long freezeStart) {
        this.migrationId = migrationId;
        this.containerId = containerId;
        this.nodeName = nodeName;
        this.checkpoint = checkpoint;
        this.image = image;
        this.namespace = namespace;
        this.address = address;
        this.network = network;
        this.target = target;
        this.record = record;
        this.workDir = workDir;
        this.freezeStart = freezeStart;
    }

    /**
     * @param abortTarget false when the target already confirmed that it has no copy
     * @return the error the migration answers with: {@code cause} after a rollback, DATA_LOSS if resuming failed
     */
    StatusRuntimeException run(String what, Status cause, boolean abortTarget) {
        if (abortTarget) {
            target.abortQuietly(what);
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
        long freeze = (System.nanoTime() - freezeStart) / 1_000_000;
        record.timings(t -> t.setFreezeMillis(freeze));
        FileTrees.deleteTree(workDir);
        String message = "migration " + migrationId + " rolled back, " + containerId + " runs on " + nodeName
                + " again: " + what + ": " + cause.getCode() + " " + cause.getDescription();
        record.failed(Phase.ROLLED_BACK, message);
        log.warn(message);
        return cause.withDescription(message).asRuntimeException();
    }
}

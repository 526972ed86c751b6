package dev.kompact.agent.migration;

import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.MigrationBundleRules;
import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image stream into a prepared migration: checkpoint and pre-copy rounds under incoming/ID, the bundle under
 * bundles/ID, validated. A broken or rejected stream leaves nothing of itself; the migration may receive again.
 */
final class ImageIntake implements StreamObserver<ImageChunk> {
    private static final Logger log = LoggerFactory.getLogger(ImageIntake.class);

    private final String nodeName;
    private final long maxImageBytes;
    private final long maxImageEntries;
    private final Function<String, TargetMigration> migrations;
    private final StreamObserver<TransferImageResponse> response;
    private TargetMigration in;
    private Map<String, Path> roots;
    private ImageReceiver receiver;
    private boolean failed;

    /** @param migrations the prepared migration of an id, or a NOT_FOUND status */
    ImageIntake(
            String nodeName,
            long maxImageBytes,
            long maxImageEntries,
            Function<String, TargetMigration> migrations,
            StreamObserver<TransferImageResponse> response) {
        this.nodeName = nodeName;
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
        this.migrations = migrations;
        this.response = response;
    }

    @Override
    public void onNext(ImageChunk chunk) {
        if (failed) {
            return;
        }
        try {
            if (receiver == null) {
                start(chunk);
            } else {
                receiver.accept(chunk);
            }
        } catch (ImageRejectedException e) {
            fail(e.status());
        } catch (StatusRuntimeException e) {
            fail(e.getStatus());
        } catch (RuntimeException e) {
            fail(Status.INTERNAL.withDescription("node " + nodeName + " cannot store the image: " + e.getMessage()));
        }
    }

    private void start(ImageChunk chunk) {
        if (!chunk.hasHeader()) {
            throw new ImageRejectedException(
                    Status.INVALID_ARGUMENT.withDescription("corrupt image: the stream must start with a header"));
        }
        in = migrations.apply(chunk.getHeader().getMigrationId());
        synchronized (in) {
            if (in.record.phase() != Phase.PREPARED) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("migration " + in.id + " is " + in.record.phase() + " on node " + nodeName
                                + ", not PREPARED: it cannot receive an image")
                        .asRuntimeException();
            }
            roots = in.rootsOf(chunk.getHeader().getRootsList());
            for (var root : roots.entrySet()) {
                FileTrees.deleteTree(root.getValue()); // sent again: replaces what came before
                in.received.remove(root.getKey());
            }
            in.record.phase(Phase.TRANSFERRING);
        }
        // the node's bounds hold for the migration's streams together
        long kept = in.receivedBytes();
        long declared = chunk.getHeader().getTotalBytes();
        if (kept + declared > maxImageBytes) {
            throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image of " + declared
                    + " bytes after " + kept + " received for migration " + in.id + " exceeds this node's bound of "
                    + maxImageBytes + " bytes (agent flag --max-image-bytes)"));
        }
        receiver = new ImageReceiver(roots, declared, maxImageBytes - kept, maxImageEntries - in.receivedEntries());
    }

    @Override
    public void onError(Throwable t) {
        if (!failed) {
            log.warn("image stream of migration {} broke off: {}", in == null ? "?" : in.id, t.toString());
            reset();
        }
    }

    @Override
    public void onCompleted() {
        if (failed) {
            return;
        }
        if (receiver == null) {
            fail(Status.INVALID_ARGUMENT.withDescription("corrupt image: empty stream"));
            return;
        }
        try {
            long bytes = receiver.finish();
            synchronized (in) {
                if (roots.containsKey(TargetMigration.BUNDLE)) {
                    // done on receipt: the bundle usually comes before the source freezes, and this is then off the
                    // freeze
                    BundleConfig config = BundleConfig.read(in.bundleDir);
                    List<String> beyond = MigrationBundleRules.violations(config);
                    if (!beyond.isEmpty()) {
                        throw new ImageRejectedException(Status.PERMISSION_DENIED.withDescription("the bundle of "
                                + in.containerId + " from node " + in.sourceNode + " asks for more than a migrated"
                                + " container may have on node " + nodeName + ": " + String.join("; ", beyond)));
                    }
                    config.setNetworkNamespace(in.namespace);
                    config.setCgroupsPath(in.cgroupsPath());
                    config.write();
                }
                in.received.addAll(roots.keySet());
                in.record.imageBytes(in.record.snapshot().getImageBytes() + bytes);
                in.record.phase(in.received(roots.keySet()));
            }
            response.onNext(
                    TransferImageResponse.newBuilder().setBytesReceived(bytes).build());
            response.onCompleted();
        } catch (ImageRejectedException e) {
            fail(e.status());
        } catch (IllegalArgumentException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("corrupt image: " + e.getMessage()));
        } catch (RuntimeException e) {
            fail(Status.INTERNAL.withDescription("node " + nodeName + " cannot store the image: " + e.getMessage()));
        }
    }

    private void fail(Status status) {
        failed = true;
        log.warn("rejected image of migration {}: {}", in == null ? "?" : in.id, status);
        reset();
        response.onError(status.asRuntimeException());
    }

    /** A broken or rejected image is deleted; the migration may receive again or be aborted. */
    private void reset() {
        if (receiver != null) {
            receiver.abandon();
        }
        if (in != null) {
            synchronized (in) {
                if (roots != null) {
                    roots.values().forEach(FileTrees::deleteTree);
                    in.received.removeAll(roots.keySet());
                }
                if (in.record.phase() == Phase.TRANSFERRING) {
                    in.record.phase(Phase.PREPARED);
                }
            }
        }
    }
}

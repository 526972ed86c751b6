package dev.kompact.agent.migration;

import dev.kompact.agent.runtime.BundleConfig;
import dev.kompact.agent.runtime.MigrationBundleRules;
import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.ImageHeader;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One image stream into a prepared container migration: checkpoint and pre-copy rounds under incoming/ID, the bundle
 * under bundles/ID, validated on receipt.
 */
final class ImageIntake extends IncomingImageStream {
    private final long maxImageBytes;
    private final long maxImageEntries;
    private final Function<String, TargetMigration> migrations;
    private TargetMigration in;
    private Map<String, Path> roots;

    /** @param migrations the prepared migration of an id, or a NOT_FOUND status */
    ImageIntake(
            String nodeName,
            long maxImageBytes,
            long maxImageEntries,
            Function<String, TargetMigration> migrations,
            StreamObserver<TransferImageResponse> response) {
        super(nodeName, response);
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
        this.migrations = migrations;
    }

    @Override
    ImageReceiver start(ImageHeader header) {
        in = migrations.apply(header.getMigrationId());
        synchronized (in) {
            if (in.record.phase() != Phase.PREPARED) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("migration " + in.id + " is " + in.record.phase() + " on node " + nodeName
                                + ", not PREPARED: it cannot receive an image")
                        .asRuntimeException();
            }
            roots = in.rootsOf(header.getRootsList());
            for (var root : roots.entrySet()) {
                FileTrees.deleteTree(root.getValue()); // sent again: replaces what came before
                in.received.remove(root.getKey());
            }
            in.record.phase(Phase.TRANSFERRING);
        }
        // the node's bounds hold for the migration's streams together
        long kept = in.receivedBytes();
        long declared = header.getTotalBytes();
        if (kept + declared > maxImageBytes) {
            throw new ImageRejectedException(Status.RESOURCE_EXHAUSTED.withDescription("image of " + declared
                    + " bytes after " + kept + " received for migration " + in.id + " exceeds this node's bound of "
                    + maxImageBytes + " bytes (agent flag --max-image-bytes)"));
        }
        return new ImageReceiver(roots, declared, maxImageBytes - kept, maxImageEntries - in.receivedEntries());
    }

    @Override
    void received(long bytes) {
        synchronized (in) {
            if (roots.containsKey(TargetMigration.BUNDLE)) {
                // done on receipt: the bundle usually comes before the source freezes, and this is then off the freeze
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
    }

    @Override
    void discard() {
        if (in == null) {
            return;
        }
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

    @Override
    String migration() {
        return "migration " + (in == null ? "?" : in.id);
    }
}

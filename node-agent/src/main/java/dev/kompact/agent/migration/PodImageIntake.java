package dev.kompact.agent.migration;

import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.ImageHeader;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The image stream of a prepared pod migration: root "pod", exactly one directory per container name, validated by
 * {@link ImageReceiver} on the way in.
 */
final class PodImageIntake extends IncomingImageStream {
    private final TargetPodMigration in;
    private final long maxImageBytes;
    private final long maxImageEntries;

    PodImageIntake(
            String nodeName,
            TargetPodMigration in,
            long maxImageBytes,
            long maxImageEntries,
            StreamObserver<TransferImageResponse> response) {
        super(nodeName, response);
        this.in = in;
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
    }

    @Override
    ImageReceiver start(ImageHeader header) {
        if (!header.getRootsList().equals(List.of("pod"))) {
            throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                    "corrupt image: a pod migration's stream has the one root 'pod', not " + header.getRootsList()));
        }
        synchronized (in) {
            if (in.record.phase() != Phase.PREPARED) {
                throw Status.FAILED_PRECONDITION
                        .withDescription("pod migration " + in.id + " is " + in.record.phase() + " on node " + nodeName
                                + ", not PREPARED: it cannot receive an image")
                        .asRuntimeException();
            }
            FileTrees.deleteTree(in.imageDir());
            in.record.phase(Phase.TRANSFERRING);
        }
        return new ImageReceiver(Map.of("pod", in.imageDir()), header.getTotalBytes(), maxImageBytes, maxImageEntries);
    }

    @Override
    void received(long bytes) {
        Set<String> found = containerDirs();
        if (!found.equals(new HashSet<>(in.names))) {
            throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                    "corrupt image: it holds " + found + ", the pod migration prepared " + in.names));
        }
        synchronized (in) {
            in.record.imageBytes(bytes);
            in.record.phase(Phase.RECEIVED);
        }
    }

    private Set<String> containerDirs() {
        try (Stream<Path> dirs = Files.list(in.imageDir())) {
            Set<String> names = new HashSet<>();
            dirs.forEach(d -> names.add(d.getFileName().toString() + (Files.isDirectory(d) ? "" : " (a file)")));
            return names;
        } catch (IOException e) {
            return Set.of();
        }
    }

    @Override
    void discard() {
        synchronized (in) {
            FileTrees.deleteTree(in.imageDir());
            if (in.record.phase() == Phase.TRANSFERRING) {
                in.record.phase(Phase.PREPARED);
            }
        }
    }

    @Override
    String migration() {
        return "pod migration " + in.id;
    }
}

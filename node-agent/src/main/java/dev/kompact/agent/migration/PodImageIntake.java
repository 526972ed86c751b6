package dev.kompact.agent.migration;

import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image stream of a prepared pod migration: root "pod", exactly one directory per container name, validated by
 * {@link ImageReceiver} on the way in. A broken or rejected stream leaves nothing; the source may send again.
 */
final class PodImageIntake implements StreamObserver<ImageChunk> {
    private static final Logger log = LoggerFactory.getLogger(PodImageIntake.class);

    private final String nodeName;
    private final TargetPodMigration in;
    private final long maxImageBytes;
    private final long maxImageEntries;
    private final StreamObserver<TransferImageResponse> response;
    private ImageReceiver receiver;
    private boolean failed;

    PodImageIntake(
            String nodeName,
            TargetPodMigration in,
            long maxImageBytes,
            long maxImageEntries,
            StreamObserver<TransferImageResponse> response) {
        this.nodeName = nodeName;
        this.in = in;
        this.maxImageBytes = maxImageBytes;
        this.maxImageEntries = maxImageEntries;
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
        if (!chunk.getHeader().getRootsList().equals(List.of("pod"))) {
            throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                    "corrupt image: a pod migration's stream has the one root 'pod', not "
                            + chunk.getHeader().getRootsList()));
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
        receiver = new ImageReceiver(
                Map.of("pod", in.imageDir()), chunk.getHeader().getTotalBytes(), maxImageBytes, maxImageEntries);
    }

    @Override
    public void onError(Throwable t) {
        if (!failed) {
            log.warn("image stream of pod migration {} broke off: {}", in.id, t.toString());
            reset();
        }
    }

    @Override
    public void onCompleted() {
        if (failed) {
            return;
        }
        try {
            long bytes = receiver.finish();
            Set<String> found = containerDirs();
            if (!found.equals(new HashSet<>(in.names))) {
                throw new ImageRejectedException(Status.INVALID_ARGUMENT.withDescription(
                        "corrupt image: it holds " + found + ", the pod migration prepared " + in.names));
            }
            synchronized (in) {
                in.record.imageBytes(bytes);
                in.record.phase(Phase.RECEIVED);
            }
            response.onNext(
                    TransferImageResponse.newBuilder().setBytesReceived(bytes).build());
            response.onCompleted();
        } catch (ImageRejectedException e) {
            fail(e.status());
        } catch (RuntimeException e) {
            fail(Status.INTERNAL.withDescription("node " + nodeName + " cannot store the image: " + e.getMessage()));
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

    private void fail(Status status) {
        failed = true;
        log.warn("rejected image of pod migration {}: {}", in.id, status);
        reset();
        response.onError(status.asRuntimeException());
    }

    private void reset() {
        if (receiver != null) {
            receiver.abandon();
        }
        synchronized (in) {
            FileTrees.deleteTree(in.imageDir());
            if (in.record.phase() == Phase.TRANSFERRING) {
                in.record.phase(Phase.PREPARED);
            }
        }
    }
}

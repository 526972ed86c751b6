package dev.kompact.agent.migration;

import dev.kompact.agent.transfer.ImageReceiver;
import dev.kompact.agent.transfer.ImageRejectedException;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.ImageHeader;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one TransferImage call into a prepared migration ({@link ImageStream} is the sending end): the
 * first chunk's header starts it, the rest go to its {@link ImageReceiver}, and every failure becomes one status,
 * answered once. A broken or rejected stream leaves nothing of itself ({@link #discard}); the source may send again.
 * Subclasses say what a stream may hold and what its arrival changes.
 */
abstract class IncomingImageStream implements StreamObserver<ImageChunk> {
    private static final Logger log = LoggerFactory.getLogger(IncomingImageStream.class);

    final String nodeName;
    private final StreamObserver<TransferImageResponse> response;
    private ImageReceiver receiver;
    private boolean failed;

    IncomingImageStream(String nodeName, StreamObserver<TransferImageResponse> response) {
        this.nodeName = nodeName;
        this.response = response;
    }

    /** Checks the header against the migration, marks it TRANSFERRING and returns the receiver for the stream. */
    abstract ImageReceiver start(ImageHeader header);

    /** Validates and records what the complete stream brought; throws {@link ImageRejectedException} to refuse it. */
    abstract void received(long bytes);

    /** Deletes what the stream wrote and puts the migration back to PREPARED. */
    abstract void discard();

    /** The migration, for logs: e.g. "pod migration m-1"; "?" before the header named it. */
    abstract String migration();

    @Override
    public final void onNext(ImageChunk chunk) {
        if (failed) {
            return;
        }
        try {
            if (receiver != null) {
                receiver.accept(chunk);
            } else if (!chunk.hasHeader()) {
                throw new ImageRejectedException(
                        Status.INVALID_ARGUMENT.withDescription("corrupt image: the stream must start with a header"));
            } else {
                receiver = start(chunk.getHeader());
            }
        } catch (ImageRejectedException e) {
            fail(e.status());
        } catch (StatusRuntimeException e) {
            fail(e.getStatus());
        } catch (RuntimeException e) {
            fail(cannotStore(e));
        }
    }

    @Override
    public final void onError(Throwable t) {
        if (!failed) {
            log.warn("image stream of {} broke off: {}", migration(), t.toString());
            reset();
        }
    }

    @Override
    public final void onCompleted() {
        if (failed) {
            return;
        }
        if (receiver == null) {
            fail(Status.INVALID_ARGUMENT.withDescription("corrupt image: empty stream"));
            return;
        }
        try {
            long bytes = receiver.finish();
            received(bytes);
            response.onNext(
                    TransferImageResponse.newBuilder().setBytesReceived(bytes).build());
            response.onCompleted();
        } catch (ImageRejectedException e) {
            fail(e.status());
        } catch (IllegalArgumentException e) {
            fail(Status.INVALID_ARGUMENT.withDescription("corrupt image: " + e.getMessage()));
        } catch (RuntimeException e) {
            fail(cannotStore(e));
        }
    }

    private Status cannotStore(RuntimeException e) {
        return Status.INTERNAL.withDescription("node " + nodeName + " cannot store the image: " + e.getMessage());
    }

    private void fail(Status status) {
        failed = true;
        log.warn("rejected image of {}: {}", migration(), status);
        reset();
        response.onError(status.asRuntimeException());
    }

    private void reset() {
        if (receiver != null) {
            receiver.abandon();
        }
        discard();
    }
}

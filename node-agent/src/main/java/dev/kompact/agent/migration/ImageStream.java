package dev.kompact.agent.migration;

import dev.kompact.agent.transfer.ImageSender;
import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One TransferImage call to the target agent, opened before it has anything to carry: setting up the HTTP/2 stream
 * costs ~10 ms, which post-copy would otherwise spend while the pod is frozen. Sending respects the call's flow
 * control and stops at the first error of either side.
 */
final class ImageStream {
    private static final long TRANSFER_MINUTES = 30;

    private final CompletableFuture<TransferImageResponse> done = new CompletableFuture<>();
    private final Object ready = new Object();
    private final ClientCallStreamObserver<ImageChunk> requests;

    ImageStream(NodeAgentGrpc.NodeAgentStub target) {
        ClientResponseObserver<ImageChunk, TransferImageResponse> responses = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ImageChunk> call) {
                call.setOnReadyHandler(ImageStream.this::wakeSender);
            }

            @Override
            public void onNext(TransferImageResponse value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
                wakeSender();
            }

            @Override
            public void onCompleted() {
                done.complete(TransferImageResponse.getDefaultInstance());
            }
        };
        requests = (ClientCallStreamObserver<ImageChunk>)
                target.withDeadlineAfter(TRANSFER_MINUTES, TimeUnit.MINUTES).transferImage(responses);
    }

    /**
     * Sends the whole image and waits for the target to store it; returns the bytes it received.
     *
     * @param abortReason non-null once the migration was asked to stop, checked before every chunk
     */
    long send(ImageSender sender, Supplier<String> abortReason) {
        try {
            sender.send(chunk -> {
                awaitReady();
                if (done.isDone()) {
                    throw failure();
                }
                String reason = abortReason.get();
                if (reason != null) {
                    throw Status.ABORTED.withDescription(reason).asRuntimeException();
                }
                requests.onNext(chunk);
            });
            requests.onCompleted();
        } catch (RuntimeException e) {
            cancel(e);
            throw e;
        }
        try {
            return done.get(TRANSFER_MINUTES, TimeUnit.MINUTES).getBytesReceived();
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw failure();
        }
    }

    /** Ends a stream that will carry nothing more; the target discards what it received of it. */
    void cancel(Throwable why) {
        requests.cancel("source stopped the transfer", why);
    }

    private void awaitReady() {
        synchronized (ready) {
            while (!requests.isReady() && !done.isDone()) {
                try {
                    ready.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
                }
            }
        }
    }

    private void wakeSender() {
        synchronized (ready) {
            ready.notifyAll();
        }
    }

    private StatusRuntimeException failure() {
        try {
            done.getNow(null);
            return Status.INTERNAL
                    .withDescription("the target closed the image stream early")
                    .asRuntimeException();
        } catch (Exception e) {
            return Status.fromThrowable(e.getCause() == null ? e : e.getCause()).asRuntimeException();
        }
    }
}

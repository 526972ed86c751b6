package dev.kompact.agent.migration;

import dev.kompact.agent.v1.ImageChunk;
import dev.kompact.agent.v1.TransferImageResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** One TransferImage stream, handed on its first chunk to the pod migration or the container migration it names. */
public final class IncomingImages implements StreamObserver<ImageChunk> {
    private final Supplier<String> sender;
    private final TargetMigrations containers;
    private final TargetPodMigrations pods;
    private final StreamObserver<TransferImageResponse> response;
    private StreamObserver<ImageChunk> intake;
    private boolean failed;

    /** @param sender the calling agent's node, asked on the first chunk (the call's context holds then) */
    public IncomingImages(
            Supplier<String> sender,
            TargetMigrations containers,
            TargetPodMigrations pods,
            StreamObserver<TransferImageResponse> response) {
        this.sender = sender;
        this.containers = containers;
        this.pods = pods;
        this.response = response;
    }

    @Override
    public void onNext(ImageChunk chunk) {
        if (failed) {
            return;
        }
        if (intake == null && chunk.hasHeader() && pods.has(chunk.getHeader().getMigrationId())) {
            try {
                intake = pods.receive(chunk, sender.get(), response);
            } catch (StatusRuntimeException e) {
                failed = true;
                response.onError(e);
            } catch (RuntimeException e) {
                failed = true;
                response.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
            }
            return;
        }
        containerIntake().onNext(chunk);
    }

    @Override
    public void onError(Throwable t) {
        if (!failed) {
            containerIntake().onError(t);
        }
    }

    @Override
    public void onCompleted() {
        if (!failed) {
            containerIntake().onCompleted();
        }
    }

    private StreamObserver<ImageChunk> containerIntake() {
        if (intake == null) {
            intake = containers.receive(sender, response);
        }
        return intake;
    }
}

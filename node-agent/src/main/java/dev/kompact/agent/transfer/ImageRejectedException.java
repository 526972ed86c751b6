package dev.kompact.agent.transfer;

import io.grpc.Status;

/** A received image broke the rules; the status goes back to the sending agent as is. */
public class ImageRejectedException extends RuntimeException {
    private final transient Status status;

    public ImageRejectedException(Status status) {
        super(status.getDescription());
        this.status = status;
    }

    public Status status() {
        return status;
    }
}

package dev.kompact.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** An AWS call that failed after the SDK's retries; carries what AWS support asks for: error code and request id. */
public final class AwsRequestException extends RuntimeException {

    private final String errorCode;
    private final String requestId;

    AwsRequestException(String what, AwsServiceException cause) {
        super(
                what + " failed: " + errorCode(cause) + " (HTTP " + cause.statusCode() + ", request id "
                        + cause.requestId() + "): " + message(cause),
                cause);
        this.errorCode = errorCode(cause);
        this.requestId = cause.requestId();
    }

    public String errorCode() {
        return errorCode;
    }

    public String requestId() {
        return requestId;
    }

    static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
    }
}

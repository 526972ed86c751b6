package dev.kompact.aws;

/** A queue message that is not an EventBridge event Kompact can read. */
final class MalformedNoticeException extends Exception {

    MalformedNoticeException(String message) {
        super(message);
    }

    MalformedNoticeException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.kompact.aws;

/** Terminate was asked for an instance Kompact did not launch for this cluster. */
public final class ForeignInstanceException extends RuntimeException {

    ForeignInstanceException(String message) {
        super(message);
    }
}

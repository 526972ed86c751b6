package dev.kompact.aws;

import dev.kompact.executor.cloud.Offering;

/** A placement EC2 could not fill, with the fleet's error code (e.g. {@code InsufficientInstanceCapacity}). */
public record FleetAttempt(Offering placement, String errorCode, String message) {

    @Override
    public String toString() {
        return placement + ": " + errorCode + " (" + message + ")";
    }
}

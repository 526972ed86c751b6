package dev.kompact.executor.migration;

import java.time.Duration;

/**
 * @param freeze how long the pod was stopped (zero when it never was)
 * @param message the agents' explanation when the pod did not move
 */
public record MigrationResult(
        String migrationId,
        Outcome outcome,
        String strategy,
        Duration freeze,
        Duration total,
        long imageBytes,
        String message) {

    public enum Outcome {
        /** Runs in the target pod; the source's processes never run again. */
        COMMITTED,
        /** Was stopped, then resumed on the source: runs where it was. */
        ROLLED_BACK,
        /** Refused before anything was touched (unknown pod, target unreachable, no common strategy). */
        REJECTED,
        /** Under way: neither committed nor rolled back yet (asked after a controller restart). */
        IN_PROGRESS,
        /** Stopped and not confirmed running anywhere: needs an operator; the message says where the image is. */
        FAILED
    }

    /** Refused before anything was touched: no strategy ran, nothing froze or moved. */
    public static MigrationResult rejected(String migrationId, String message) {
        return new MigrationResult(migrationId, Outcome.REJECTED, "", Duration.ZERO, Duration.ZERO, 0, message);
    }

    public boolean moved() {
        return outcome == Outcome.COMMITTED;
    }
}

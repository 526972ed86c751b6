package dev.kompact.agent.migration;

import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.agent.v1.Timings;

/** The observable state of one migration on one agent; updated by the migration, read by GetMigration. */
final class MigrationRecord {
    private final MigrationStatus.Builder status;
    private final Timings.Builder timings = Timings.newBuilder();

    MigrationRecord(String migrationId, String containerId, Phase phase) {
        status = MigrationStatus.newBuilder()
                .setMigrationId(migrationId)
                .setContainerId(containerId)
                .setPhase(phase);
    }

    synchronized Phase phase() {
        return status.getPhase();
    }

    synchronized void phase(Phase phase) {
        status.setPhase(phase);
    }

    synchronized void strategy(Strategy strategy) {
        status.setStrategy(strategy);
    }

    synchronized void failed(Phase phase, String error) {
        status.setPhase(phase).setError(error);
    }

    /** Committed all the same: what failed afterwards, for whoever asks how it ended. */
    synchronized void warning(String warning) {
        status.setError(warning);
    }

    synchronized void imageBytes(long bytes) {
        status.setImageBytes(bytes);
    }

    synchronized void timings(java.util.function.Consumer<Timings.Builder> change) {
        change.accept(timings);
    }

    synchronized MigrationStatus snapshot() {
        return status.clone().setTimings(timings.build()).build();
    }
}

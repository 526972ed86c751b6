package dev.kompact.executor.migration;

/**
 * The executor's port for moving a running pod to another node without restarting it. A migration either commits
 * (the pod runs on the target only) or leaves the pod running on the source; {@link MigrationResult.Outcome#FAILED}
 * is the one case where neither could be confirmed and an operator must look.
 */
public interface Migrator {

    /**
     * Blocks until the migration committed, rolled back or failed.
     *
     * @param migrationId unique per attempt; the executor persists it so that a restarted controller can ask again
     */
    MigrationResult migrate(String migrationId, String containerId, String sourceNode, String targetNode);
}

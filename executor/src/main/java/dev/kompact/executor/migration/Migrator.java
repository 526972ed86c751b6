package dev.kompact.executor.migration;

import dev.kompact.executor.ReadOnly;
import java.util.Optional;

/**
 * The executor's port for moving a running pod's processes into a target pod on another node without restarting
 * them. A migration either commits (the processes run in the target pod only) or leaves them running in the source
 * pod; {@link MigrationResult.Outcome#FAILED} is the one case where neither could be confirmed and an operator must
 * look. The Kubernetes side of the move (the target pod object, ownership, the source's deletion) is the executor's.
 */
public interface Migrator {

    /** Why the pod cannot move live between these nodes (an agent missing or unhealthy, no common strategy). */
    @ReadOnly
    Optional<String> refusal(String sourceNode, String targetNode);

    /**
     * Blocks until the migration committed, rolled back or failed.
     *
     * @param migration its id is unique per attempt; the executor persists it first, so a restarted controller can
     *     ask {@link #outcome} instead of starting it twice
     */
    MigrationResult migrate(PodMigration migration);

    /**
     * What the source node's agent knows of a migration, for a controller that restarted while it was under way:
     * empty when the agent never heard of it (it was never started, so starting it is safe). Throws when the agent
     * cannot be asked: the outcome is then in doubt, and neither pod may be touched.
     */
    @ReadOnly
    Optional<MigrationResult> outcome(String migrationId, String sourceNode);
}

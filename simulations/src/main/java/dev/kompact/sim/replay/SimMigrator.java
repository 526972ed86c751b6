package dev.kompact.sim.replay;

import dev.kompact.executor.migration.MigrationResult;
import dev.kompact.executor.migration.Migrator;
import java.time.Duration;
import java.util.Optional;

/**
 * The node agents as the executor's migration port: a pod moves live when the target admits it, after a freeze of
 * {@link SimSettings#liveFreeze()} that passes in simulated time; otherwise the migration is rejected and the
 * executor evicts instead.
 */
final class SimMigrator implements Migrator {

    private final Simulator simulator;

    SimMigrator(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public MigrationResult migrate(String migrationId, String containerId, String sourceNode, String targetNode) {
        String uid = containerId;
        Optional<SimPod> pod = simulator.pods().stream()
                .filter(p -> p.uid().equals(uid) && sourceNode.equals(p.node()))
                .findFirst();
        Duration freeze = simulator.settings().liveFreeze();
        if (pod.isEmpty() || !simulator.migrate(pod.get(), targetNode)) {
            return new MigrationResult(
                    migrationId,
                    MigrationResult.Outcome.REJECTED,
                    "simulated",
                    Duration.ZERO,
                    Duration.ZERO,
                    0,
                    "the target does not admit the pod, or the pod is gone");
        }
        simulator.advanceTo(simulator.now() + Math.max(0, freeze.toSeconds()));
        return new MigrationResult(
                migrationId,
                MigrationResult.Outcome.COMMITTED,
                "simulated",
                freeze,
                freeze,
                pod.get().trace().memoryBytes(),
                "moved");
    }
}

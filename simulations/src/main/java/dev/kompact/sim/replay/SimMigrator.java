package dev.kompact.sim.replay;

import dev.kompact.executor.migration.MigrationResult;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.migration.PodMigration;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node agents as the executor's migration port: a pod moves live when the target admits it, after a freeze of
 * {@link SimSettings#liveFreeze()} that passes in simulated time; otherwise the migration is rejected and the
 * executor evicts instead. The simulated pod keeps its name: {@link SimClusterApi} shows the executor's target pod
 * as the pod's new self once it moved.
 */
final class SimMigrator implements Migrator {

    private final Simulator simulator;
    private final Map<String, MigrationResult> outcomes = new HashMap<>();

    SimMigrator(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public Optional<String> refusal(String sourceNode, String targetNode) {
        // every simulated node runs an agent offering the same strategies
        return Optional.empty();
    }

    @Override
    public MigrationResult migrate(PodMigration migration) {
        Optional<SimPod> pod = simulator.pods().stream()
                .filter(p -> p.uid().equals(migration.source().uid())
                        && migration.sourceNode().equals(p.node()))
                .findFirst();
        Duration freeze = simulator.settings().liveFreeze();
        MigrationResult result;
        if (pod.isEmpty() || !simulator.migrate(pod.get(), migration.targetNode())) {
            result = new MigrationResult(
                    migration.migrationId(),
                    MigrationResult.Outcome.REJECTED,
                    "simulated",
                    Duration.ZERO,
                    Duration.ZERO,
                    0,
                    "the target does not admit the pod, or the pod is gone");
        } else {
            simulator.advanceTo(simulator.now() + Math.max(0, freeze.toSeconds()));
            result = new MigrationResult(
                    migration.migrationId(),
                    MigrationResult.Outcome.COMMITTED,
                    "simulated",
                    freeze,
                    freeze,
                    pod.get().trace().memoryBytes(),
                    "moved");
        }
        outcomes.put(migration.migrationId(), result);
        return result;
    }

    @Override
    public Optional<MigrationResult> outcome(String migrationId, String sourceNode) {
        return Optional.ofNullable(outcomes.get(migrationId));
    }
}

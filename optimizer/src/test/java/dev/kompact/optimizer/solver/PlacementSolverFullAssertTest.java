package dev.kompact.optimizer.solver;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Re-solves with every incremental score checked against a full recalculation: catches score corruption. */
class PlacementSolverFullAssertTest {

    @Test
    void incrementalScoreMatchesFullRecalculation() throws Exception {
        ClusterSnapshot snapshot = new SnapshotReader(InstanceCatalog.bundled())
                .read(Path.of("src/test/resources/snapshots/pending-gpu-pod.json"));
        PlacementSolver solver = new PlacementSolver(SolverSettings.of(Duration.ofSeconds(3)), SolverProgress.SILENT);
        var config = solver.config()
                .withEnvironmentMode(EnvironmentMode.FULL_ASSERT)
                .withTerminationConfig(new TerminationConfig().withStepCountLimit(2_000));

        ClusterPlacement solution = SolverFactory.<ClusterPlacement>create(config)
                .buildSolver()
                .solve(new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot));

        assertThat(solution.getScore().isFeasible()).isTrue();
    }
}

package dev.kompact.optimizer.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlacementSolverFactoryTest {

    @Test
    void solversOfOneSeedShareAFactoryWhateverTheirTimeLimit() {
        PlacementSolver first = new PlacementSolver(SolverSettings.of(Duration.ofSeconds(1)), SolverProgress.SILENT);
        PlacementSolver second = new PlacementSolver(SolverSettings.of(Duration.ofSeconds(60)), SolverProgress.SILENT);

        assertThat(second.factory()).isSameAs(first.factory());
    }

    @Test
    void anotherSeedOrStepLimitGetsItsOwnFactory() {
        PlacementSolver timed = new PlacementSolver(SolverSettings.of(Duration.ofSeconds(1)), SolverProgress.SILENT);
        PlacementSolver seeded = new PlacementSolver(
                new SolverSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), 7L), SolverProgress.SILENT);
        PlacementSolver stepped = new PlacementSolver(SolverSettings.steps(50, 0L), SolverProgress.SILENT);

        assertThat(seeded.factory()).isNotSameAs(timed.factory());
        assertThat(stepped.factory()).isNotSameAs(timed.factory()).isNotSameAs(seeded.factory());
    }
}

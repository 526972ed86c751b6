package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;

/** Runs Timefold on a {@link ClusterPlacement}: construction for pending pods, then local search. */
public final class PlacementSolver {

    private final SolverSettings settings;
    private final SolverProgress progress;

    public PlacementSolver(SolverSettings settings, SolverProgress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public ClusterPlacement solve(ClusterPlacement problem) {
        Solver<ClusterPlacement> solver = SolverFactory.<ClusterPlacement>create(config()).buildSolver();
        long start = System.nanoTime();
        solver.addEventListener(event -> progress.improved((System.nanoTime() - start) / 1_000_000,
                event.getNewBestSolution().getScore()));
        return solver.solve(problem);
    }

    SolverConfig config() {
        return new SolverConfig()
                .withSolutionClass(ClusterPlacement.class)
                .withEntityClasses(PodPlacement.class)
                .withConstraintProviderClass(PlacementConstraintProvider.class)
                .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
                .withRandomSeed(settings.randomSeed())
                .withTerminationConfig(new TerminationConfig()
                        .withSpentLimit(settings.timeLimit())
                        .withUnimprovedSpentLimit(settings.unimprovedLimit()))
                .withPhases(new ConstructionHeuristicPhaseConfig(), new LocalSearchPhaseConfig());
    }
}

package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.analysis.ConstraintAnalysis;
import ai.timefold.solver.core.api.score.analysis.MatchAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.DefaultConstraintJustification;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.move.ConsolidationMoveFactory;
import dev.kompact.optimizer.move.RepackMoveFactory;
import dev.kompact.optimizer.move.TakeBackMoveFactory;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Runs Timefold on a {@link ClusterPlacement}: construction places pending pods, then local search mixes single-pod
 * changes and swaps with whole-node consolidation moves, repacks of several nodes at once and moves that take a
 * pod's move back.
 */
public final class PlacementSolver {

    private final SolverSettings settings;
    private final SolverProgress progress;
    /** Built once: building one compiles the constraints, and solving, rescoring and explaining all need it. */
    private final SolverFactory<ClusterPlacement> factory;

    public PlacementSolver(SolverSettings settings, SolverProgress progress) {
        this.settings = settings;
        this.progress = progress;
        this.factory = SolverFactory.create(config());
    }

    public ClusterPlacement solve(ClusterPlacement problem) {
        Solver<ClusterPlacement> solver = factory.buildSolver();
        long start = System.nanoTime();
        solver.addEventListener(event -> progress.improved(
                (System.nanoTime() - start) / 1_000_000,
                event.getNewBestSolution().getScore()));
        return solver.solve(problem);
    }

    /** Recomputes the score after the placement was changed outside the solver. */
    public void rescore(ClusterPlacement placement) {
        SolutionManager.<ClusterPlacement, HardMediumSoftLongScore>create(factory)
                .update(placement);
    }

    /** Each hard rule the placement breaks, with up to five places where, e.g. "Node resource capacity: node-a". */
    public List<String> brokenHardRules(ClusterPlacement placement) {
        SolutionManager<ClusterPlacement, HardMediumSoftLongScore> manager = SolutionManager.create(factory);
        return manager.analyze(placement).constraintAnalyses().stream()
                .filter(c -> c.score().hardScore() < 0)
                .map(PlacementSolver::describe)
                .toList();
    }

    private static String describe(ConstraintAnalysis<HardMediumSoftLongScore> constraint) {
        List<MatchAnalysis<HardMediumSoftLongScore>> matches = constraint.matches();
        String where = matches.stream()
                .limit(5)
                .map(m -> m.justification() instanceof DefaultConstraintJustification j
                        ? j.getFacts().stream()
                                .filter(f -> f instanceof NodeSlot || f instanceof PodPlacement)
                                .map(Objects::toString)
                                .collect(Collectors.joining(" "))
                        : String.valueOf(m.justification()))
                .collect(Collectors.joining(", "));
        return constraint.constraintRef().constraintName() + ": " + where
                + (matches.size() > 5 ? " and " + (matches.size() - 5) + " more" : "");
    }

    SolverConfig config() {
        return new SolverConfig()
                .withSolutionClass(ClusterPlacement.class)
                .withEntityClasses(PodPlacement.class, NodeSlot.class)
                .withConstraintProviderClass(PlacementConstraintProvider.class)
                .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
                .withRandomSeed(settings.randomSeed())
                .withTerminationConfig(
                        settings.stepLimit() > 0
                                ? new TerminationConfig()
                                : new TerminationConfig()
                                        .withSpentLimit(settings.timeLimit())
                                        .withUnimprovedSpentLimit(settings.unimprovedLimit()))
                .withPhases(
                        new ConstructionHeuristicPhaseConfig(),
                        new LocalSearchPhaseConfig()
                                .withMoveSelectorConfig(new UnionMoveSelectorConfig()
                                        .withMoveSelectors(
                                                new ChangeMoveSelectorConfig().withFixedProbabilityWeight(1.0),
                                                new SwapMoveSelectorConfig().withFixedProbabilityWeight(0.2),
                                                new MoveIteratorFactoryConfig()
                                                        .withMoveIteratorFactoryClass(ConsolidationMoveFactory.class)
                                                        .withFixedProbabilityWeight(1.0),
                                                new MoveIteratorFactoryConfig()
                                                        .withMoveIteratorFactoryClass(RepackMoveFactory.class)
                                                        .withFixedProbabilityWeight(1.0),
                                                new MoveIteratorFactoryConfig()
                                                        .withMoveIteratorFactoryClass(TakeBackMoveFactory.class)
                                                        .withFixedProbabilityWeight(0.2)))
                                .withTerminationConfig(
                                        settings.stepLimit() > 0
                                                ? new TerminationConfig().withStepCountLimit(settings.stepLimit())
                                                : null));
    }
}

package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.analysis.ConstraintAnalysis;
import ai.timefold.solver.core.api.score.analysis.MatchAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.DefaultConstraintJustification;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Runs Timefold on a {@link ClusterPlacement}: construction places pending pods, then local search mixes single-pod
 * changes and swaps with whole-node consolidation moves, repacks of several nodes at once and moves that take a
 * pod's move back.
 */
public final class PlacementSolver {

    /** Extra rounds, each of {@link #OVERRUN}, a search the time limit cut short before any valid plan may take. */
    private static final int OVERRUN_ROUNDS = 3;

    private static final Duration OVERRUN = Duration.ofSeconds(1);

    /**
     * One factory per configuration for the whole process: building one compiles the constraints, which a planner
     * run per snapshot (the controller's loop, a benchmark's sets) would otherwise pay on every plan.
     */
    private static final Map<Configuration, SolverFactory<ClusterPlacement>> FACTORIES = new ConcurrentHashMap<>();

    private final SolverSettings settings;
    private final SolverProgress progress;
    private final SolverFactory<ClusterPlacement> factory;

    public PlacementSolver(SolverSettings settings, SolverProgress progress) {
        this.settings = settings;
        this.progress = progress;
        this.factory = FACTORIES.computeIfAbsent(Configuration.of(settings), c -> SolverFactory.create(c.config()));
    }

    /**
     * What the solver configuration depends on: the seed, and the step limit of a step-limited search. A time limit
     * is not part of it, since each solve passes its own.
     */
    record Configuration(long randomSeed, int stepLimit) {

        static Configuration of(SolverSettings settings) {
            return new Configuration(settings.randomSeed(), Math.max(0, settings.stepLimit()));
        }

        SolverConfig config() {
            return PlacementSolver.config(randomSeed, stepLimit);
        }
    }

    SolverFactory<ClusterPlacement> factory() {
        return factory;
    }

    /** The best placement found, when it was found (ms from the start of the search) and why the search stopped. */
    public record Solved(ClusterPlacement placement, long bestMillis, StopReason stoppedBecause) {}

    /** Solves for the settings' whole time limit, with no bound to stop at. */
    public ClusterPlacement solve(ClusterPlacement problem) {
        return solve(problem, System.nanoTime() + settings.timeLimit().toNanos(), SearchWatch.NO_TARGET)
                .placement();
    }

    /**
     * Solves until {@code deadlineNanos} ({@link System#nanoTime()}), stopping early once the best valid plan's nodes
     * cost at most {@code costTarget} micro-dollars per hour (near the lower bound; read again as the search goes, so
     * that a bound known later, or tightened, counts; {@link Long#MIN_VALUE} while none is known) or it stops improving
     * for the settings' size-scaled while.
     * The starting placement is reported to {@code progress} first: when it places every pod it is the first valid
     * plan.
     */
    public Solved solve(ClusterPlacement problem, long deadlineNanos, LongSupplier costTarget) {
        long start = System.nanoTime();
        rescore(problem);
        progress.improved(0, problem.getScore());
        boolean stepLimited = settings.stepLimit() > 0;
        long limitMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        Solver<ClusterPlacement> solver = stepLimited
                ? factory.buildSolver()
                : factory.buildSolver(new SolverConfigOverride<ClusterPlacement>()
                        .withTerminationSpentLimit(Duration.ofMillis(limitMillis)));
        // a step-limited search is never cut short by the clock: it must give the same plan on any machine
        long unimproved = stepLimited
                ? Long.MAX_VALUE
                : settings.unimprovedLimitFor(problem.getPlacements().size()).toNanos();
        AtomicLong bestMillis = new AtomicLong(0);
        try (SearchWatch watch =
                new SearchWatch(solver, unimproved, stepLimited ? SearchWatch.NO_TARGET : costTarget)) {
            solver.addEventListener(event -> {
                long elapsed = (System.nanoTime() - start) / 1_000_000;
                bestMillis.set(elapsed);
                HardMediumSoftLongScore score = event.getNewBestSolution().getScore();
                watch.improved(score, event.getNewBestSolution().costMicros());
                progress.improved(elapsed, score);
            });
            ClusterPlacement best = solver.solve(problem);
            for (int round = 0; !stepLimited && !best.getScore().isFeasible() && round < OVERRUN_ROUNDS; round++) {
                // the limit ran out before a valid plan (most often while constructing): a late plan beats none
                best = factory.buildSolver(
                                new SolverConfigOverride<ClusterPlacement>().withTerminationSpentLimit(OVERRUN))
                        .solve(best);
            }
            return new Solved(best, bestMillis.get(), watch.reason());
        }
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
        return config(settings.randomSeed(), Math.max(0, settings.stepLimit()));
    }

    /** A time-limited configuration (no step limit) stops only on the spent limit each solve overrides it with. */
    private static SolverConfig config(long randomSeed, int stepLimit) {
        return new SolverConfig()
                .withSolutionClass(ClusterPlacement.class)
                .withEntityClasses(PodPlacement.class, NodeSlot.class)
                .withConstraintProviderClass(PlacementConstraintProvider.class)
                .withEnvironmentMode(EnvironmentMode.NO_ASSERT)
                .withRandomSeed(randomSeed)
                // a step-limited search ends with its local-search phase, whatever the time (see SolverSettings)
                .withTerminationConfig(new TerminationConfig())
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
                                        stepLimit > 0 ? new TerminationConfig().withStepCountLimit(stepLimit) : null));
    }
}

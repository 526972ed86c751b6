package dev.kompact.optimizer.solver;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/** Told each time the search finds a better plan. */
@FunctionalInterface
public interface SolverProgress {

    SolverProgress SILENT = (elapsedMillis, score) -> {};

    void improved(long elapsedMillis, HardMediumSoftLongScore score);
}

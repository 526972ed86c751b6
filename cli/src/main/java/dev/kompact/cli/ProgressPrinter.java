package dev.kompact.cli;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import dev.kompact.optimizer.solver.SolverProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the search's best plan as it improves, on stderr so that stdout stays the command's output. The soft score
 * is the hourly bill in micro-dollars plus one per move: a line is printed only when the bill, the unplaced pods or
 * the validity shown change, at most once a second, so that shaving moves off an equal bill stays quiet.
 */
final class ProgressPrinter implements SolverProgress {

    private static final long INTERVAL_MILLIS = 1_000;

    private final PrintWriter err;
    private long lastPrinted = -INTERVAL_MILLIS;
    private String lastFigures = "";

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void improved(long elapsedMillis, HardMediumSoftLongScore score) {
        String figures = String.format(
                Locale.ROOT,
                "~$%.2f/hour, %d unplaced, %s",
                -score.softScore() / 1_000_000.0,
                -score.mediumScore(),
                score.hardScore() == 0 ? "valid" : "breaks rules (" + score.hardScore() + " hard)");
        if (figures.equals(lastFigures) || elapsedMillis - lastPrinted < INTERVAL_MILLIS) {
            return;
        }
        lastPrinted = elapsedMillis;
        lastFigures = figures;
        err.printf(Locale.ROOT, "  %5.1fs  best plan: %s%n", elapsedMillis / 1000.0, figures);
        err.flush();
    }
}

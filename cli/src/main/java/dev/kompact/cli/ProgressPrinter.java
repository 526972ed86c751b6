package dev.kompact.cli;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import dev.kompact.optimizer.solver.SolverProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the search's best plan as it improves, on stderr so that stdout stays the command's output. The figure is the
 * solver's score, not the bill: the hourly bill plus what its moves, spot risk and unmet preferences are priced at,
 * so it is labelled as such and the bill is the report's. A line is printed only when the figures shown change, at
 * most once a second.
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
                "score $%.2f/hour (the bill plus the price of moves, spot risk and preferences), %d unplaced, %s",
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

package dev.kompact.cli;

import dev.kompact.sim.replay.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows on stderr how far a simulation has got: the run, the simulated time reached, wall time and an estimate of
 * what is left, assuming every run takes as long as the runs so far. At most once a second.
 */
final class SimulationProgress implements ProgressListener {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final int runs;
    private final long start = System.nanoTime();
    private long lastPrinted = start - INTERVAL_NANOS;
    private String lastRun = "";
    private int runsStarted;

    SimulationProgress(PrintWriter err, int runs) {
        this.err = err;
        this.runs = runs;
    }

    @Override
    public void reached(String policy, long seed, long seconds, long endSeconds) {
        String run = policy + "/" + seed;
        if (!run.equals(lastRun)) {
            lastRun = run;
            runsStarted++;
        }
        long now = System.nanoTime();
        if (now - lastPrinted < INTERVAL_NANOS && seconds < endSeconds) {
            return;
        }
        lastPrinted = now;
        double done = (runsStarted - 1 + (endSeconds == 0 ? 1 : (double) seconds / endSeconds)) / runs;
        double wall = (now - start) / 1e9;
        String eta = done <= 0 ? "?" : String.format(Locale.ROOT, "%.0fs", wall / done - wall);
        err.printf(
                Locale.ROOT,
                "  %-9s seed %d: day %6.1f of %.1f   wall %6.1fs   ETA %s%n",
                policy,
                seed,
                seconds / 86400.0,
                endSeconds / 86400.0,
                wall,
                eta);
        err.flush();
    }

    void done() {
        err.printf(Locale.ROOT, "  simulated %d run(s) in %.1fs%n", runs, (System.nanoTime() - start) / 1e9);
        err.flush();
    }
}

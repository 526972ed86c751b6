package dev.kompact.sim.packing;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints packing rows as a Markdown table, as pasted into docs/benchmark.md. */
public final class PackingTable {

    private PackingTable() {}

    public static void print(PrintWriter out, List<PackingRow> rows, long timeLimitSeconds) {
        out.printf(
                Locale.ROOT,
                "%nFrom-scratch packing, %d s limit (cost/bound; first = every pod validly placed, s; best = last"
                        + " improvement, s)%n",
                timeLimitSeconds);
        out.println("| set | nodes | pods | bound $/h | Kompact | first | best | wall | stopped | peer | first | best"
                + " | Kompact/peer | violations K/P |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|");
        for (PackingRow row : rows) {
            PackingRun k = row.kompact();
            PackingRun p = row.peer();
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %.3f | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %d/%d |%n",
                    row.shape().label(),
                    row.nodes(),
                    row.pods(),
                    row.boundMicros() / 1e6,
                    ratio(k),
                    seconds(k.firstFeasibleMillis()),
                    seconds(k.bestMillis()),
                    k.wallMillis() / 1000.0,
                    k.stoppedBecause(),
                    ratio(p),
                    seconds(p.firstFeasibleMillis()),
                    seconds(p.bestMillis()),
                    k.violations() + p.violations() > 0
                            ? "—"
                            : String.format(Locale.ROOT, "%.3f", row.kompactPerPeer()),
                    k.violations(),
                    p.violations());
        }
    }

    /** Cost over bound, or "invalid" for a plan that breaks a rule or leaves a pod without a node. */
    private static String ratio(PackingRun run) {
        return run.violations() > 0 ? "invalid" : String.format(Locale.ROOT, "%.3f", run.costPerBound());
    }

    private static String seconds(long millis) {
        return millis < 0 ? "never" : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }
}

package dev.kompact.sim.bench;

import dev.kompact.optimizer.plan.RebalancePlan;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** Prints the benchmark's two tables, cost and search, one row per cluster size; "-" where there is no figure. */
final class BenchTable {

    static final double BOUND_GOAL = 1.03;
    static final double KARPENTER_GOAL = 0.75;
    private static final String NONE = "-";

    private BenchTable() {}

    static void print(PrintStream out, List<BenchRow> rows) {
        out.println();
        out.printf(
                "Cost, $/hour. Goals: Kompact <= %.2f x lower bound, <= %.2f x Karpenter-style.%n",
                BOUND_GOAL, KARPENTER_GOAL);
        out.printf(
                "%6s %7s %10s %10s %10s %12s %10s %12s %10s %6s %10s %6s%n",
                "nodes",
                "pods",
                "before",
                "Kompact",
                "bound",
                "K/bound",
                "Karpenter",
                "K/Karpenter",
                "CA",
                "K/CA",
                "FFD",
                "K/FFD");
        for (BenchRow row : rows) {
            Long kompact = row.kompact().plan() == null
                    ? null
                    : row.kompact().plan().costAfter().microsPerHour();
            Long bound = row.kompact().plan() == null
                    ? null
                    : row.kompact().plan().lowerBound().cost().microsPerHour();
            out.printf(
                    "%6d %7d %10s %10s %10s %12s %10s %12s %10s %6s %10s %6s%n",
                    row.nodes(),
                    row.pods(),
                    dollars(row.costBeforeMicros()),
                    dollars(kompact),
                    dollars(bound),
                    ratio(kompact, bound, BOUND_GOAL),
                    dollars(baselineCost(row, 0)),
                    ratio(kompact, baselineCost(row, 0), KARPENTER_GOAL),
                    dollars(baselineCost(row, 1)),
                    ratio(kompact, baselineCost(row, 1), 0),
                    dollars(baselineCost(row, 2)),
                    ratio(kompact, baselineCost(row, 2), 0));
        }
        out.println();
        out.println("Disruption and search. Moves and violations: Kompact/Karpenter/CA/FFD. Times from the planner"
                + " call, problem building included.");
        out.printf(
                "%6s %24s %11s %8s %7s %9s %10s %7s %12s %17s%n",
                "nodes",
                "moves",
                "first valid",
                "best",
                "limit",
                "Kompact",
                "peak heap",
                "GC",
                "violations",
                "baseline s K/C/F");
        for (BenchRow row : rows) {
            KompactOutcome k = row.kompact();
            RebalancePlan plan = k.plan();
            String moves = (plan == null ? NONE : Integer.toString(plan.moves().size())) + "/"
                    + row.baselines().stream()
                            .map(b -> b.result() == null
                                    ? NONE
                                    : Integer.toString(b.result().moves()))
                            .collect(Collectors.joining("/"));
            String violations =
                    (plan == null ? NONE : Integer.toString(k.violations().size())) + "/"
                            + row.baselines().stream()
                                    .map(b -> b.result() == null ? NONE : Integer.toString(b.violations()))
                                    .collect(Collectors.joining("/"));
            String baselineSeconds = row.baselines().stream()
                    .map(b -> b.result() == null
                            ? (b.failure() == null ? NONE : "fail")
                            : String.format("%.0f", b.result().millis() / 1000.0))
                    .collect(Collectors.joining("/"));
            out.printf(
                    "%6d %24s %11s %8s %7s %9s %10s %7s %12s %17s%n",
                    row.nodes(),
                    moves,
                    seconds(k.firstValidMillis()),
                    seconds(k.bestMillis()),
                    row.timeLimitSeconds() + " s",
                    plan == null ? "FAILED" : seconds(k.wallMillis()),
                    k.peakHeapBytes() / (1 << 20) + " MiB",
                    seconds(k.gcMillis()),
                    violations,
                    baselineSeconds);
            if (k.failure() != null) {
                out.printf("%6d Kompact failed: %s%n", row.nodes(), k.failure());
            }
        }
    }

    private static Long baselineCost(BenchRow row, int index) {
        BaselineRun run = row.baselines().get(index);
        return run.result() == null ? null : run.result().costAfterMicros();
    }

    private static String dollars(Long micros) {
        return micros == null ? NONE : String.format("%.2f", micros / 1e6);
    }

    /** Kompact over the other, marked against the goal when there is one. */
    private static String ratio(Long kompact, Long other, double goal) {
        if (kompact == null || other == null || other == 0) {
            return NONE;
        }
        double ratio = (double) kompact / other;
        return goal == 0
                ? String.format("%.3f", ratio)
                : String.format("%.3f %s", ratio, ratio <= goal ? "ok" : "miss");
    }

    private static String seconds(long millis) {
        return millis < 0 ? NONE : String.format("%.1f s", millis / 1000.0);
    }
}

package dev.kompact.sim.replay.report;

import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.SimulationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The text summary: per policy, the median over seeds of what it cost and what it did to pods. */
public final class SummaryTable {

    private SummaryTable() {}

    public record Row(
            String policy,
            double cost,
            double nodeHours,
            double costRatio,
            double nodeHourRatio,
            double restartsPerPod,
            double liveMigrations,
            double pendingPodHours,
            double plans,
            double medianSolveMillis) {}

    public static List<Row> rows(SimulationReport report) {
        List<RunResult> kompact = report.runsOf("kompact");
        double kompactCost = median(kompact, RunResult::totalCost);
        double kompactNodeHours = median(kompact, RunResult::nodeHours);
        List<Row> rows = new ArrayList<>();
        for (String policy : report.policies()) {
            List<RunResult> runs = report.runsOf(policy);
            double cost = median(runs, RunResult::totalCost);
            double nodeHours = median(runs, RunResult::nodeHours);
            rows.add(new Row(
                    policy,
                    cost,
                    nodeHours,
                    kompact.isEmpty() ? Double.NaN : cost / kompactCost,
                    kompact.isEmpty() ? Double.NaN : nodeHours / kompactNodeHours,
                    median(runs, RunResult::restartsPerPod),
                    median(runs, RunResult::liveMigrations),
                    median(runs, r -> r.podPendingSeconds() / 3600),
                    median(runs, RunResult::plansMade),
                    median(runs, SummaryTable::medianSolve)));
        }
        return rows;
    }

    public static String render(SimulationReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "trace %s: %.1f days, policy interval %s, scheduler %s, %.0f%% of pods opt in to live migration,"
                        + " %d seed(s)%n",
                report.trace(),
                report.simulatedSeconds() / 86400.0,
                report.interval(),
                report.scheduler(),
                report.liveShare() * 100,
                report.seeds().size()));
        out.append(String.format(
                Locale.ROOT,
                "%-10s %14s %12s %9s %11s %12s %10s %14s %7s %11s%n",
                "policy",
                "cost $",
                "node-hours",
                "$ ratio",
                "node-h ratio",
                "restarts/pod",
                "live moves",
                "pending pod-h",
                "plans",
                "solve ms"));
        for (Row row : rows(report)) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-10s %14.2f %12.1f %9s %11s %12.3f %10.0f %14.1f %7.0f %11.0f%n",
                    row.policy(),
                    row.cost(),
                    row.nodeHours(),
                    ratio(row.costRatio()),
                    ratio(row.nodeHourRatio()),
                    row.restartsPerPod(),
                    row.liveMigrations(),
                    row.pendingPodHours(),
                    row.plans(),
                    row.medianSolveMillis()));
        }
        out.append("ratios are to kompact; medians over seeds\n");
        return out.toString();
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static double medianSolve(RunResult run) {
        double[] values = run.solveMillis().stream()
                .mapToDouble(Long::doubleValue)
                .sorted()
                .toArray();
        return values.length == 0 ? 0 : SeedBand.median(values);
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> measure) {
        double[] values = runs.stream().mapToDouble(measure).sorted().toArray();
        return values.length == 0 ? Double.NaN : SeedBand.median(values);
    }
}

package dev.kompact.cli.report;

import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.Wave;
import java.util.ArrayList;
import java.util.List;

/** What plan.json knows, as sentences: the waves in order, each disruption budget and how the plan keeps it. */
final class PlanSteps {

    private final PlannedCluster cluster;

    PlanSteps(PlannedCluster cluster) {
        this.cluster = cluster;
    }

    List<String> waves() {
        List<String> steps = new ArrayList<>();
        for (Wave wave : cluster.plan.waves()) {
            steps.add(
                    switch (wave.action()) {
                        case Provision ->
                            "buy " + wave.nodes().size() + " node(s): " + String.join(", ", wave.nodes())
                                    + "; nothing moves until they are Ready";
                        case Taint ->
                            "taint " + wave.nodes().size() + " node(s) about to be emptied, so nothing new lands"
                                    + " there: " + String.join(", ", wave.nodes());
                        case Move -> {
                            long live = wave.moves().stream()
                                    .filter(m -> m.mobility() == Mobility.LIVE)
                                    .count();
                            yield "move " + wave.moves().size() + " pod(s) (" + live + " live, "
                                    + (wave.moves().size() - live) + " restart), within every disruption budget";
                        }
                        case Drain -> "drain " + wave.nodes().size() + " emptied node(s)";
                        case Terminate -> "give back " + wave.nodes().size() + " emptied node(s)";
                    });
        }
        return steps;
    }

    /** One line per budget that covers a moved pod: its allowance, and the most the plan disrupts at once. */
    List<String> budgets() {
        List<String> lines = new ArrayList<>();
        if (cluster.snapshot.isEmpty()) {
            return lines;
        }
        for (PodDisruptionBudget budget : cluster.snapshot.get().podDisruptionBudgets()) {
            int most = 0;
            int total = 0;
            for (Wave wave : cluster.plan.waves()) {
                int inWave = 0;
                for (PodMove move : wave.moves()) {
                    Pod pod = cluster.pods.get(move.pod());
                    if (move.from() != null && pod != null && budget.covers(pod)) {
                        inWave++;
                    }
                }
                most = Math.max(most, inWave);
                total += inWave;
            }
            if (total > 0) {
                lines.add(budget.namespace() + "/" + budget.name() + " ("
                        + (budget.minAvailable() != null
                                ? "minAvailable " + budget.minAvailable()
                                : "maxUnavailable " + budget.maxUnavailable())
                        + ", " + budget.disruptionsAllowed() + " disruption(s) allowed now): " + total
                        + " of its pods move, at most " + most + " in one wave");
            }
        }
        return lines;
    }
}

package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.domain.DisruptionCost;
import dev.kompact.optimizer.model.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a plan is worth its disruption. Karpenter's users complain of consolidation that churns for
 * pennies; like the Balanced policy proposed for Karpenter, a plan must save enough in absolute and relative terms,
 * and its share of the bill saved must be at least {@code minSavingsPerDisruption} times its share of pods disrupted: a
 * pod restarted counts one, a pod moved live the fraction {@link DisruptionCost#restarts} gives.
 */
public record PlanGate(long minSavingsPerHourMicros, double minSavingsPercent, double minSavingsPerDisruption) {

    public static final PlanGate DEFAULT = new PlanGate(10_000, 1.0, 0.5);

    public Decision judge(RebalancePlan plan, int runningPods, List<String> unorderedMoves) {
        List<String> reasons = new ArrayList<>();
        long saved = plan.savings().cost().microsPerHour();
        if (plan.moves().isEmpty()
                && plan.nodesAdded().isEmpty()
                && plan.nodesRemoved().isEmpty()) {
            reasons.add("nothing to change: no cheaper valid placement was found");
        } else {
            reasons.addAll(tooLittle(plan.savings(), "saves"));
            // weighed as the search weighs it: a pod moved live never stops, so it counts as a fraction of a restart
            double disrupted = plan.moves().stream()
                    .filter(m -> m.from() != null)
                    .mapToDouble(m -> DisruptionCost.restarts(m.mobility()))
                    .sum();
            double disruptionShare = runningPods == 0 ? 0 : disrupted / runningPods;
            double savingsShare = plan.savings().percent() / 100;
            if (disruptionShare > 0 && savingsShare / disruptionShare < minSavingsPerDisruption) {
                reasons.add(String.format(
                        Locale.ROOT,
                        "saves %.1f%% of the bill for %.1f%% of pods disrupted: a ratio of"
                                + " %.2f, below the minimum %.2f",
                        100 * savingsShare,
                        100 * disruptionShare,
                        savingsShare / disruptionShare,
                        minSavingsPerDisruption));
            }
        }
        if (!unorderedMoves.isEmpty()) {
            reasons.add("no safe order found for " + unorderedMoves.size() + " moves; e.g. " + unorderedMoves.get(0));
        }
        return new Decision(reasons.isEmpty(), reasons);
    }

    /**
     * Why no plan of this cluster can pass, when even one costing no more than the lower bound would save too
     * little: a plan saves at most the current bill less the bound, so planning would be wasted. Empty when such a
     * plan would pass the savings bars (whether a real one does is the planner's to find).
     */
    public Optional<String> unreachable(long costBeforeMicros, long lowerBoundMicros) {
        long mostSaved = Math.max(0, costBeforeMicros - lowerBoundMicros);
        List<String> reasons = tooLittle(RebalancePlan.Savings.of(mostSaved, costBeforeMicros), "at most saves");
        return reasons.isEmpty() ? Optional.empty() : Optional.of("the lower bound: " + String.join("; ", reasons));
    }

    private List<String> tooLittle(RebalancePlan.Savings savings, String verb) {
        List<String> reasons = new ArrayList<>();
        long saved = savings.cost().microsPerHour();
        if (saved < minSavingsPerHourMicros) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "%s $%s/hour, less than the minimum $%s/hour",
                    verb,
                    Money.dollars(saved).toPlainString(),
                    Money.dollars(minSavingsPerHourMicros).toPlainString()));
        }
        if (savings.percent() < minSavingsPercent) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "%s %.2f%% of the bill, less than the minimum %.2f%%",
                    verb,
                    savings.percent(),
                    minSavingsPercent));
        }
        return reasons;
    }
}

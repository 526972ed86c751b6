package dev.kompact.executor.execution;

import dev.kompact.executor.crd.DisruptionBudget;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How many nodes a plan made now may disrupt: the least of the budgets that apply now. A budget without schedule
 * always applies; one with a schedule applies for {@code duration} after each time it fires (UTC), as Karpenter's.
 */
public final class ActiveBudget {

    private ActiveBudget() {}

    public static int nodes(List<DisruptionBudget> budgets, int nodeCount, Instant now) {
        int allowed = nodeCount;
        for (int i = 0; i < budgets.size(); i++) {
            DisruptionBudget budget = budgets.get(i);
            String field = "spec.disruption.budgets[" + i + "]";
            if (applies(budget, now, field)) {
                allowed = Math.min(allowed, NodeBudget.resolve(budget.nodes, nodeCount));
            }
        }
        return allowed;
    }

    private static boolean applies(DisruptionBudget budget, Instant now, String field) {
        if (budget.schedule == null || budget.schedule.isBlank()) {
            return true;
        }
        if (budget.duration == null) {
            throw new IllegalArgumentException(
                    field + ".duration is missing: a budget with a schedule needs one, e.g. 8h");
        }
        CronSchedule schedule = CronSchedule.parse(budget.schedule, field + ".schedule");
        Duration window = GoDurations.parse(budget.duration, field + ".duration");
        ZonedDateTime minute = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        // the window is open if the schedule fired in the last `duration`, the current minute included
        for (long back = 0; back < Math.max(1, window.toMinutes()); back++) {
            if (schedule.firesAt(minute.minusMinutes(back))) {
                return true;
            }
        }
        return false;
    }
}

package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.crd.DisruptionBudget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActiveBudgetTest {

    static DisruptionBudget budget(String nodes, String schedule, String duration) {
        DisruptionBudget budget = new DisruptionBudget();
        budget.nodes = nodes;
        budget.schedule = schedule;
        budget.duration = duration;
        return budget;
    }

    // no disruption in business hours (Mon-Fri 09:00-17:00 UTC), 20% otherwise
    static final List<DisruptionBudget> BUDGETS = List.of(budget("20%", null, null), budget("0", "0 9 * * 1-5", "8h"));

    @Test
    void scheduledBudgetAppliesOnlyInItsWindow() {
        assertThat(ActiveBudget.nodes(BUDGETS, 10, Instant.parse("2026-11-23T09:00:00Z")))
                .isZero();
        assertThat(ActiveBudget.nodes(BUDGETS, 10, Instant.parse("2026-11-23T16:59:00Z")))
                .isZero();
        assertThat(ActiveBudget.nodes(BUDGETS, 10, Instant.parse("2026-11-23T17:00:00Z")))
                .isEqualTo(2);
        assertThat(ActiveBudget.nodes(BUDGETS, 10, Instant.parse("2026-11-28T12:00:00Z")))
                .as("Saturday")
                .isEqualTo(2);
    }

    @Test
    void withoutAnyBudgetApplyingNothingLimits() {
        List<DisruptionBudget> nightOnly = List.of(budget("1", "0 1 * * *", "2h"));

        assertThat(ActiveBudget.nodes(nightOnly, 10, Instant.parse("2026-11-23T12:00:00Z")))
                .isEqualTo(10);
        assertThat(ActiveBudget.nodes(nightOnly, 10, Instant.parse("2026-11-23T02:30:00Z")))
                .isEqualTo(1);
    }

    @Test
    void scheduleWithoutDurationIsRejected() {
        assertThatThrownBy(() -> ActiveBudget.nodes(List.of(budget("1", "@daily", null)), 3, Instant.now()))
                .hasMessageContaining("spec.disruption.budgets[0].duration");
    }
}

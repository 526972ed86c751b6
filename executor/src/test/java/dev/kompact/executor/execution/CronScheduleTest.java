package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    // 2026-11-23 is a Monday
    static final ZonedDateTime MONDAY_9 = ZonedDateTime.parse("2026-11-23T09:00:00Z");

    @Test
    void firesOnWeekdayMornings() {
        CronSchedule weekdays = CronSchedule.parse("0 9 * * 1-5", "schedule");

        assertThat(weekdays.firesAt(MONDAY_9)).isTrue();
        assertThat(weekdays.firesAt(MONDAY_9.plusMinutes(1))).isFalse();
        assertThat(weekdays.firesAt(MONDAY_9.plusDays(5))).as("Saturday").isFalse();
    }

    @Test
    void readsStepsListsAndMacros() {
        assertThat(CronSchedule.parse("*/15 * * * *", "s").firesAt(MONDAY_9.plusMinutes(45)))
                .isTrue();
        assertThat(CronSchedule.parse("*/15 * * * *", "s").firesAt(MONDAY_9.plusMinutes(50)))
                .isFalse();
        assertThat(CronSchedule.parse("0 9,17 * * *", "s").firesAt(MONDAY_9.plusHours(8)))
                .isTrue();
        assertThat(CronSchedule.parse("@daily", "s").firesAt(MONDAY_9.minusHours(9)))
                .isTrue();
        // Sunday may be written 0 or 7
        assertThat(CronSchedule.parse("0 9 * * 7", "s").firesAt(MONDAY_9.minusDays(1)))
                .isTrue();
    }

    @Test
    void eitherDayFieldMatchesWhenBothAreRestricted() {
        CronSchedule firstOrMonday = CronSchedule.parse("0 9 1 * 1", "s");

        assertThat(firstOrMonday.firesAt(MONDAY_9)).isTrue();
        assertThat(firstOrMonday.firesAt(ZonedDateTime.parse("2026-12-01T09:00:00Z")))
                .as("the 1st, a Tuesday")
                .isTrue();
        assertThat(firstOrMonday.firesAt(MONDAY_9.plusDays(1))).isFalse();
    }

    @Test
    void namesTheFieldOfABadExpression() {
        assertThatThrownBy(() -> CronSchedule.parse("0 25 * * *", "spec.disruption.budgets[1].schedule"))
                .hasMessageContaining("spec.disruption.budgets[1].schedule")
                .hasMessageContaining("\"25\"");
        assertThatThrownBy(() -> CronSchedule.parse("0 9 * *", "s")).hasMessageContaining("five fields");
    }
}

package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.kompact.optimizer.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** An hourly bill in USD, with its month (730 hours) for people who budget monthly. */
public record Cost(BigDecimal perHour, BigDecimal perMonth) {

    public static Cost ofMicros(long microsPerHour) {
        return new Cost(
                Money.dollars(microsPerHour),
                Money.dollars(microsPerHour * Money.HOURS_PER_MONTH).setScale(2, RoundingMode.HALF_UP));
    }

    @JsonIgnore
    public long microsPerHour() {
        return Money.micros(perHour);
    }
}

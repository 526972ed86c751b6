package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kompact.optimizer.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An hourly bill, held in micro-dollars as the model counts money, and written in USD per hour and per month (730
 * hours) for people who budget monthly: the dollars are derived, so the two can never disagree.
 */
@JsonPropertyOrder({"perHour", "perMonth"})
public record Cost(@JsonIgnore long microsPerHour) {

    public static Cost ofMicros(long microsPerHour) {
        return new Cost(microsPerHour);
    }

    @JsonProperty
    public BigDecimal perHour() {
        return Money.dollars(microsPerHour);
    }

    @JsonProperty
    public BigDecimal perMonth() {
        return Money.dollars(microsPerHour * Money.HOURS_PER_MONTH).setScale(2, RoundingMode.HALF_UP);
    }
}

package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.math.BigDecimal;

/**
 * A plan is carried out only when it clears every gate (the optimizer's {@code PlanGate}). The saving in dollars is
 * read exactly, as money is everywhere else; the other two are ratios.
 */
public class SavingsGates {

    @JsonPropertyDescription("Least saving worth acting on, in USD per hour.")
    @Min(0)
    // Money.MAX_PRICE_PER_HOUR: beyond any instance's price, and beyond what the sums in micro-dollars hold
    @Max(1_000_000)
    public BigDecimal minDollarsPerHour = new BigDecimal("0.01");

    @JsonPropertyDescription("Least saving worth acting on, as a percentage of the cluster's hourly cost.")
    @Min(0)
    @Max(100)
    public double minPercent = 1.0;

    @JsonPropertyDescription("Least ratio of the share of the bill saved to the share of running pods moved.")
    @Min(0)
    public double minSavingsPerDisruption = 0.5;
}

package dev.kompact.executor.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A plan is carried out only when it clears every gate (the optimizer's {@code PlanGate}). */
public class SavingsGates {

    @JsonPropertyDescription("Least saving worth acting on, in USD per hour.")
    public double minDollarsPerHour = 0.01;

    @JsonPropertyDescription("Least saving worth acting on, as a percentage of the cluster's hourly cost.")
    public double minPercent = 1.0;

    @JsonPropertyDescription("Least ratio of the share of the bill saved to the share of running pods moved.")
    public double minSavingsPerDisruption = 0.5;
}

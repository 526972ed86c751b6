package dev.kompact.optimizer.plan;

/**
 * One point of a plan's saving-versus-disruption curve: the cheapest plan found within {@code budget} (e.g. "10% of
 * the moves", "at most 100 restarts", "cheapest"), its running pods moved ({@code disruptions}, restarts among them),
 * what it costs after, and the share of the cheapest plan's saving it keeps.
 */
public record ChurnPoint(
        String budget, int disruptions, int restarts, Cost costAfter, double savingsPercent, double shareOfSaving) {}

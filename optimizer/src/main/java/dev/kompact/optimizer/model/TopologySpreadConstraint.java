package dev.kompact.optimizer.model;

/**
 * Pods {@code selector} picks (in the owner's namespace) may differ by at most {@code maxSkew} between the domains
 * of {@code topologyKey}; {@code hard} is {@code whenUnsatisfiable: DoNotSchedule}, else {@code ScheduleAnyway}.
 */
public record TopologySpreadConstraint(int maxSkew, String topologyKey, boolean hard, LabelSelector selector) {}

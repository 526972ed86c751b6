package dev.kompact.optimizer.plan;

/** An instance type and zone an added node may be bought as instead of its own when the cloud cannot fill that. */
public record Alternative(String instanceType, String zone) {}

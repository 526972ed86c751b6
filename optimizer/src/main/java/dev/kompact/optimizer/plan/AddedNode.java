package dev.kompact.optimizer.plan;

import java.math.BigDecimal;

/** A node the plan buys. {@code name} is the plan's handle for it until the cloud names the real instance. */
public record AddedNode(String name, String instanceType, String zone, String capacityType, BigDecimal pricePerHour) {}

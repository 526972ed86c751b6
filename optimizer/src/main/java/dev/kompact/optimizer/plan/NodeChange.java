package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/** One node before and after the plan: {@code before} is null for an added node, {@code after} for a removed one. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NodeChange(
        String name,
        String instanceType,
        String zone,
        String capacityType,
        BigDecimal pricePerHour,
        Status status,
        Utilization before,
        Utilization after) {

    public enum Status {
        KEPT,
        ADDED,
        REMOVED
    }
}

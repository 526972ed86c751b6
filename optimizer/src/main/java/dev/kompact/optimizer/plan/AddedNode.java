package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kompact.optimizer.model.CapacityType;
import java.math.BigDecimal;
import java.util.List;

/**
 * A node the plan buys. {@code name} is the plan's handle for it until the cloud names the real instance;
 * {@code alternatives} are the {@link AcceptableOfferings} it may be bought as instead, best first.
 */
public record AddedNode(
        String name,
        String instanceType,
        String zone,
        CapacityType capacityType,
        BigDecimal pricePerHour,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Alternative> alternatives) {

    public AddedNode {
        alternatives = List.copyOf(alternatives);
    }

    public AddedNode withAlternatives(List<Alternative> newAlternatives) {
        return new AddedNode(name, instanceType, zone, capacityType, pricePerHour, newAlternatives);
    }
}

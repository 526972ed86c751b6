package dev.kompact.optimizer.catalog;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ResourceList;
import java.util.OptionalLong;

/**
 * An EC2 instance type: what a node of it offers pods ({@code allocatable}) and what it costs, in micro-dollars per
 * hour, on demand and (estimated) on spot. {@code interruptionFrequency} is the Spot Advisor bucket, e.g. "5-10%".
 */
public record InstanceType(
        String name,
        String family,
        String category,
        String generation,
        String arch,
        int vcpu,
        long memoryMib,
        int gpuCount,
        ResourceList allocatable,
        OptionalLong onDemandPriceMicros,
        OptionalLong spotPriceMicros,
        String interruptionFrequency) {

    public OptionalLong price(CapacityType capacityType) {
        return capacityType == CapacityType.SPOT ? spotPriceMicros : onDemandPriceMicros;
    }
}

package dev.kompact.optimizer.model;

import java.util.Arrays;
import java.util.Optional;

public enum CapacityType {
    ON_DEMAND("on-demand"),
    SPOT("spot");

    private final String label;

    CapacityType(String label) {
        this.label = label;
    }

    /** The value of the {@code karpenter.sh/capacity-type} label and of the snapshot's {@code capacityType}. */
    public String label() {
        return label;
    }

    public static Optional<CapacityType> fromLabel(String label) {
        return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst();
    }
}

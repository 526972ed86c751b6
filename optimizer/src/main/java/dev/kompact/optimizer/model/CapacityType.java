package dev.kompact.optimizer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
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
    @JsonValue
    public String label() {
        return label;
    }

    /** The label, as people read it in plans and reports. */
    @Override
    public String toString() {
        return label;
    }

    @JsonCreator
    static CapacityType ofLabel(String label) {
        return fromLabel(label)
                .orElseThrow(() ->
                        new IllegalArgumentException("capacity type " + label + " is neither on-demand nor spot"));
    }

    public static Optional<CapacityType> fromLabel(String label) {
        return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst();
    }
}

package dev.kompact.sim.packing;

import java.util.List;

/**
 * What a from-scratch packing set looks like: the instance types its fixed nodes are drawn from, and the pods'
 * profile. {@code gibPerCore} bounds the memory each pod asks per core; {@code gpuShare} is the share of the nodes'
 * GPUs that GPU pods ask for (0 when the set has none). Pod sizes are then scaled so that the scarcest resource is
 * {@link PackingSetGenerator#SCARCEST_UTILIZATION} used over all the nodes: the packing has room to choose.
 */
public enum PackingShape {
    MANY_SMALL(
            List.of("c5.large", "c5.xlarge", "m5.large", "m5.xlarge", "r5.large", "r5.xlarge", "m6i.xlarge"), 1, 8, 0),
    FEW_LARGE(List.of("c5.9xlarge", "c5.12xlarge", "m5.8xlarge", "m5.12xlarge", "r5.8xlarge", "r5.12xlarge"), 1, 8, 0),
    CPU_BOUND(List.of("c5.2xlarge", "c5.4xlarge", "m5.2xlarge", "m5.4xlarge", "r5.2xlarge", "r5.4xlarge"), 1, 2, 0),
    MEMORY_BOUND(List.of("c5.2xlarge", "c5.4xlarge", "m5.2xlarge", "m5.4xlarge", "r5.2xlarge", "r5.4xlarge"), 8, 16, 0),
    GPU_BOUND(
            List.of("g4dn.xlarge", "g4dn.2xlarge", "g4dn.12xlarge", "g5.xlarge", "g5.2xlarge", "m5.2xlarge"),
            1,
            4,
            0.6),
    /** Not generated: nodes and pods drawn from the public Alibaba GPU trace ({@link AlibabaPackingSet}). */
    ALIBABA_OPENB(List.of(), 0, 0, 0);

    private final List<String> instanceTypes;
    private final double minGibPerCore;
    private final double maxGibPerCore;
    private final double gpuShare;

    PackingShape(List<String> instanceTypes, double minGibPerCore, double maxGibPerCore, double gpuShare) {
        this.instanceTypes = instanceTypes;
        this.minGibPerCore = minGibPerCore;
        this.maxGibPerCore = maxGibPerCore;
        this.gpuShare = gpuShare;
    }

    List<String> instanceTypes() {
        return instanceTypes;
    }

    double minGibPerCore() {
        return minGibPerCore;
    }

    double maxGibPerCore() {
        return maxGibPerCore;
    }

    double gpuShare() {
        return gpuShare;
    }

    /** The name as typed on the command line, e.g. {@code many-small}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static PackingShape parse(String label) {
        for (PackingShape shape : values()) {
            if (shape.label().equals(label)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown packing shape '" + label + "'; known: "
                + java.util.Arrays.stream(values()).map(PackingShape::label).toList());
    }
}

package dev.kompact.optimizer.plan;

/** Requests as a share of allocatable (0..1, may exceed 1 on an overcommitted node). */
public record Utilization(double cpu, double memory) {

    public static Utilization of(long cpuRequested, long cpuAllocatable, long memoryRequested, long memoryAllocatable) {
        return new Utilization(ratio(cpuRequested, cpuAllocatable), ratio(memoryRequested, memoryAllocatable));
    }

    private static double ratio(long requested, long allocatable) {
        return allocatable == 0 ? 0 : Math.round(10_000.0 * requested / allocatable) / 10_000.0;
    }
}

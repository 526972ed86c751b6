package dev.kompact.optimizer.model;

/** Well-known resource names and the integer unit each is counted in. */
public final class ResourceNames {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String PODS = "pods";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String NVIDIA_GPU = "nvidia.com/gpu";

    private ResourceNames() {}

    /** CPU is counted in millicores; every other resource in whole units. */
    public static long unitsPerWhole(String resource) {
        return CPU.equals(resource) ? 1000 : 1;
    }

    /** GPUs and AI accelerators, whatever their vendor: nvidia.com/gpu, amd.com/gpu, aws.amazon.com/neuron. */
    public static boolean isAccelerator(String resource) {
        return resource.endsWith("/gpu") || resource.endsWith("/neuron");
    }

    /**
     * The most of {@code resource} any node could hold, in its integer unit: a million cores, a PiB, a million of
     * anything counted. The largest EC2 instance has 448 vCPUs and 24 TiB; a quantity beyond this is a typo or an
     * attack on the sums, and bounding each one keeps every sum of a cluster's quantities far from overflowing.
     */
    public static long maxOnAnyNode(String resource) {
        if (CPU.equals(resource)) {
            return (1L << 20) * 1000;
        }
        return isBytes(resource) ? 1L << 50 : 1L << 20;
    }

    public static boolean isBytes(String resource) {
        return MEMORY.equals(resource) || EPHEMERAL_STORAGE.equals(resource) || resource.startsWith("hugepages-");
    }
}

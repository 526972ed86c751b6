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

    public static boolean isBytes(String resource) {
        return MEMORY.equals(resource) || EPHEMERAL_STORAGE.equals(resource) || resource.startsWith("hugepages-");
    }
}

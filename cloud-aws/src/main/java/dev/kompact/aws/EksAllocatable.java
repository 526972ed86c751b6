package dev.kompact.aws;

import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node of an instance type offers pods, computed as the EKS AMI's bootstrap reserves it and as the bundled
 * catalogue was built: m5.large gives 1930m, 6903Mi, 29 pods in both.
 */
final class EksAllocatable {

    // the bundled catalogue's assumption for a new node's root volume, kept equal so live and bundled types compare
    private static final long EPHEMERAL_STORAGE = 17L << 30;

    private EksAllocatable() {}

    /** The VPC CNI's limit: one IP per pod on each ENI beyond its primary address, plus two host-network pods. */
    static long maxPods(int maxEnis, int ipv4PerEni) {
        return (long) maxEnis * (ipv4PerEni - 1) + 2;
    }

    static ResourceList of(int vcpu, long memoryMib, long maxPods, int nvidiaGpus) {
        Map<String, Long> amounts = new TreeMap<>();
        amounts.put(ResourceNames.CPU, vcpu * 1000L - reservedMillicores(vcpu));
        amounts.put(ResourceNames.MEMORY, allocatableMemoryMib(memoryMib, maxPods) << 20);
        amounts.put(ResourceNames.PODS, maxPods);
        amounts.put(ResourceNames.EPHEMERAL_STORAGE, EPHEMERAL_STORAGE);
        if (nvidiaGpus > 0) {
            amounts.put(ResourceNames.NVIDIA_GPU, (long) nvidiaGpus);
        }
        return ResourceList.of(amounts);
    }

    /** kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest. */
    static long reservedMillicores(int vcpu) {
        long tenths = 0;
        for (int core = 1; core <= vcpu; core++) {
            tenths += core == 1 ? 600 : core == 2 ? 100 : core <= 4 ? 50 : 25;
        }
        return tenths / 10;
    }

    /** 7.5% hypervisor overhead (as Karpenter assumes), kube-reserved 255Mi + 11Mi per pod, 100Mi eviction threshold. */
    static long allocatableMemoryMib(long memoryMib, long maxPods) {
        long overhead = (memoryMib * 75 + 999) / 1000;
        return memoryMib - overhead - (255 + 11 * maxPods) - 100;
    }
}

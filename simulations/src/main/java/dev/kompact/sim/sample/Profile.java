package dev.kompact.sim.sample;

import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The resource shape of a kind of workload: median requests, the spread between workloads of the kind (sigma of a
 * log-normal) and scratch space. Requests land on the round values people write in manifests, not on what the code
 * needs, which is why usage sits far below them.
 */
enum Profile {
    NODE_AGENT(50, 96, 0.5, 0),
    CONTROLLER(100, 192, 0.5, 0),
    EDGE(150, 256, 0.5, 1),
    API(200, 512, 0.5, 0),
    JVM_SERVICE(300, 1536, 0.4, 0),
    WORKER(200, 768, 0.5, 0),
    CACHE(250, 3072, 0.4, 0),
    QUEUE(1000, 4096, 0.3, 0),
    DATABASE(1500, 6144, 0.3, 0),
    ANALYTICS(750, 4096, 0.3, 0),
    BATCH(750, 2048, 0.4, 8);

    private static final long[] CPU_MILLIS = {50, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000};
    private static final long[] MEMORY_MIB = {64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096, 6144, 8192
    };

    private final long cpuMillis;
    private final long memoryMib;
    private final double sigma;
    private final long scratchGib;

    Profile(long cpuMillis, long memoryMib, double sigma, long scratchGib) {
        this.cpuMillis = cpuMillis;
        this.memoryMib = memoryMib;
        this.sigma = sigma;
        this.scratchGib = scratchGib;
    }

    /** One workload's pod template requests; every replica of the workload asks for the same. */
    ResourceList drawRequests(Random random) {
        Map<String, Long> requests = new TreeMap<>();
        requests.put(
                ResourceNames.CPU,
                ManifestRounding.nearest(CPU_MILLIS, cpuMillis * StrictMath.exp(sigma * random.nextGaussian())));
        requests.put(
                ResourceNames.MEMORY,
                ManifestRounding.nearest(MEMORY_MIB, memoryMib * StrictMath.exp(sigma * random.nextGaussian())) << 20);
        if (scratchGib > 0) {
            requests.put(ResourceNames.EPHEMERAL_STORAGE, scratchGib << 30);
        }
        return ResourceList.of(requests);
    }
}

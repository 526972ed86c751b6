package dev.kompact.sim.bench;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The fleet of a benchmark cluster, in three zones: mostly general-purpose on-demand nodes, a large spot share, a few
 * GPU nodes tainted for GPU pods only, and about one node in a hundred annotated to be kept. Half the nodes run the
 * Kompact agent, so some pods may move live.
 */
final class BenchNodes {

    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");
    static final Taint GPU_TAINT = new Taint("nvidia.com/gpu", "true", TaintEffect.NoSchedule);
    private static final List<String> ON_DEMAND =
            List.of("m5.xlarge", "m6i.xlarge", "m5.2xlarge", "m6i.2xlarge", "c5.2xlarge", "m5.4xlarge", "r5.xlarge");
    private static final List<String> SPOT =
            List.of("m5.xlarge", "m5.2xlarge", "m6i.2xlarge", "c6i.2xlarge", "r5.2xlarge");
    private static final List<String> GPU = List.of("g4dn.xlarge", "g5.xlarge");
    private static final double SPOT_SHARE = 0.35;
    private static final double GPU_SHARE = 0.01;
    private static final double KEPT_SHARE = 0.01;

    private BenchNodes() {}

    static List<Node> build(InstanceCatalog catalog, int count, Random random) {
        int gpuNodes = Math.max(2, (int) Math.round(count * GPU_SHARE));
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String zone = ZONES.get(i % ZONES.size());
            boolean gpu = i < gpuNodes;
            CapacityType capacity =
                    !gpu && random.nextDouble() < SPOT_SHARE ? CapacityType.SPOT : CapacityType.ON_DEMAND;
            List<String> types = gpu ? GPU : capacity == CapacityType.SPOT ? SPOT : ON_DEMAND;
            InstanceType type =
                    catalog.type(types.get(random.nextInt(types.size()))).orElseThrow();
            String name = String.format(
                    "ip-10-%d-%d-%d.ec2.internal", ZONES.indexOf(zone) * 32 + i / 65536, (i / 256) % 256, i % 256);
            Map<String, String> labels = new TreeMap<>(InstanceCatalog.labels(type, zone, capacity));
            labels.put(WellKnownLabels.HOSTNAME, name);
            if (random.nextBoolean()) {
                labels.put(WellKnownLabels.KOMPACT_AGENT, "true");
            }
            Map<String, String> annotations = !gpu && random.nextDouble() < KEPT_SHARE
                    ? Map.of(WellKnownLabels.CA_SCALE_DOWN_DISABLED, "true")
                    : Map.of();
            nodes.add(new Node(
                    name,
                    type.name(),
                    zone,
                    capacity,
                    type.price(capacity).orElseThrow(),
                    labels,
                    annotations,
                    gpu ? List.of(GPU_TAINT) : List.of(),
                    type.allocatable(),
                    false));
        }
        return nodes;
    }
}

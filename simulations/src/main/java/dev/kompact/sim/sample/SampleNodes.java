package dev.kompact.sim.sample;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sample's fleet: EKS managed node groups spread over three zones of us-east-1. One general node has been
 * cordoned and drained and still runs its DaemonSet pods, as nodes left behind by an upgrade do.
 */
final class SampleNodes {

    static final String NODE_GROUP = "eks.amazonaws.com/nodegroup";
    static final String MEMORY_GROUP = "memory-optimized";
    static final String BATCH_GROUP = "batch";
    static final Taint DEDICATED_TAINT = new Taint("dedicated", "batch", TaintEffect.NoSchedule);
    private static final Taint CORDON_TAINT =
            new Taint("node.kubernetes.io/unschedulable", null, TaintEffect.NoSchedule);
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    private static final String GENERAL_GROUP = "general";
    private static final List<NodeGroup> GROUPS = List.of(
            new NodeGroup(
                    GENERAL_GROUP,
                    CapacityType.ON_DEMAND,
                    List.of("m5.xlarge", "m5.2xlarge", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge", "t3.xlarge"),
                    20,
                    List.of()),
            new NodeGroup("system", CapacityType.ON_DEMAND, List.of("m5.large", "t3.large"), 3, List.of()),
            new NodeGroup(
                    "compute",
                    CapacityType.ON_DEMAND,
                    List.of("c5.xlarge", "c5.2xlarge", "c6i.2xlarge", "c6i.4xlarge"),
                    7,
                    List.of()),
            new NodeGroup(
                    MEMORY_GROUP,
                    CapacityType.ON_DEMAND,
                    List.of("r5.xlarge", "r5.2xlarge", "r6i.xlarge", "r6i.2xlarge"),
                    6,
                    List.of()),
            new NodeGroup(
                    "spot-general",
                    CapacityType.SPOT,
                    List.of("m5.large", "m5.xlarge", "m6i.xlarge", "c5.xlarge", "c6i.2xlarge", "t3.large"),
                    10,
                    List.of()),
            new NodeGroup(
                    BATCH_GROUP,
                    CapacityType.ON_DEMAND,
                    List.of("c6i.2xlarge", "m6i.2xlarge"),
                    4,
                    List.of(DEDICATED_TAINT)));

    /** What the kubelet reports for the 80 GiB root volume of the node groups' launch template. */
    private static final long ROOT_VOLUME_ALLOCATABLE = 76_224_326_324L;
    /** Each zone's private subnet is a /19 of 10.0.0.0/16: third octets 0–31, 32–63, 64–95. */
    private static final int SUBNET_THIRD_OCTETS = 32;

    private SampleNodes() {}

    /** The nodes in name order, as {@code kubectl get nodes} lists them. */
    static List<Node> build(InstanceCatalog catalog, Random random) {
        Set<String> names = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (NodeGroup group : GROUPS) {
            int cordoned = GENERAL_GROUP.equals(group.name()) ? random.nextInt(group.size()) : -1;
            int firstZone = random.nextInt(ZONES.size());
            for (int i = 0; i < group.size(); i++) {
                // Managed node groups balance their zones, as the Auto Scaling group beneath them does.
                int zone = (firstZone + i) % ZONES.size();
                List<String> types = group.instanceTypes();
                InstanceType type =
                        catalog.type(types.get(random.nextInt(types.size()))).orElseThrow();
                String name = uniqueName(zone, random, names);
                nodes.add(node(
                        name, type, ZONES.get(zone), group, price(type, group.capacityType(), random), i == cordoned));
            }
        }
        nodes.sort(Comparator.comparing(Node::name));
        return nodes;
    }

    private static Node node(
            String name, InstanceType type, String zone, NodeGroup group, long priceMicros, boolean cordoned) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(WellKnownLabels.HOSTNAME, name);
        labels.put(WellKnownLabels.INSTANCE_TYPE, type.name());
        labels.put(WellKnownLabels.ZONE, zone);
        labels.put("topology.kubernetes.io/region", "us-east-1");
        labels.put(WellKnownLabels.ARCH, type.arch());
        labels.put(WellKnownLabels.OS, "linux");
        labels.put(WellKnownLabels.CAPACITY_TYPE, group.capacityType().label());
        labels.put("eks.amazonaws.com/capacityType", group.capacityType() == CapacityType.SPOT ? "SPOT" : "ON_DEMAND");
        labels.put(NODE_GROUP, group.name());
        List<Taint> taints = new ArrayList<>(group.taints());
        if (cordoned) {
            taints.add(CORDON_TAINT);
        }
        ResourceList allocatable = type.allocatable().with(ResourceNames.EPHEMERAL_STORAGE, ROOT_VOLUME_ALLOCATABLE);
        return new Node(
                name,
                type.name(),
                zone,
                group.capacityType(),
                priceMicros,
                labels,
                Map.of(),
                taints,
                allocatable,
                cordoned);
    }

    /**
     * The catalogue's price, except that some spot nodes (one in three on average) carry the price observed at
     * launch, which drifts around the catalogue's estimate: the snapshot then shows both a written and a looked-up
     * price.
     */
    private static long price(InstanceType type, CapacityType capacityType, Random random) {
        long catalogue = type.price(capacityType).orElseThrow();
        if (capacityType != CapacityType.SPOT || random.nextInt(3) != 0) {
            return catalogue;
        }
        BigDecimal drift = BigDecimal.valueOf(850 + random.nextInt(301), 3);
        return Money.micros(Money.dollars(catalogue).multiply(drift).setScale(4, RoundingMode.HALF_UP));
    }

    private static String uniqueName(int zone, Random random, Set<String> taken) {
        String name;
        do {
            int thirdOctet = zone * SUBNET_THIRD_OCTETS + random.nextInt(SUBNET_THIRD_OCTETS);
            name = "ip-10-0-" + thirdOctet + "-" + (1 + random.nextInt(254)) + ".ec2.internal";
        } while (!taken.add(name));
        return name;
    }
}

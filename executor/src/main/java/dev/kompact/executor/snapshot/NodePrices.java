package dev.kompact.executor.snapshot;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a Node costs, from its instance-type and capacity-type labels and the catalogue. A live catalogue may lack a
 * type a node still runs (EC2 no longer describes it, or no longer prices it): the bundled catalogue's price stands in,
 * so that the node is planned with rather than the whole cluster refused, but only for the bundled catalogue's region:
 * another region's node is never priced at its rates.
 */
public final class NodePrices {

    private static final String EKS_CAPACITY_TYPE = "eks.amazonaws.com/capacityType";
    private static final String LEGACY_INSTANCE_TYPE = "beta.kubernetes.io/instance-type";
    private static final String LEGACY_ZONE = "failure-domain.beta.kubernetes.io/zone";

    private final InstanceCatalog catalog;
    private final InstanceCatalog fallback;

    public NodePrices(InstanceCatalog catalog) {
        this.catalog = catalog;
        this.fallback = InstanceCatalog.bundled().inRegion(catalog.region());
    }

    public static Optional<String> instanceType(Node node) {
        Map<String, String> labels = labels(node);
        return Optional.ofNullable(
                labels.getOrDefault(WellKnownLabels.INSTANCE_TYPE, labels.get(LEGACY_INSTANCE_TYPE)));
    }

    public static Optional<String> zone(Node node) {
        Map<String, String> labels = labels(node);
        return Optional.ofNullable(labels.getOrDefault(WellKnownLabels.ZONE, labels.get(LEGACY_ZONE)));
    }

    /** Karpenter writes {@code spot}/{@code on-demand}; EKS managed node groups {@code SPOT}/{@code ON_DEMAND}. */
    public static Optional<CapacityType> capacityType(Node node) {
        Map<String, String> labels = labels(node);
        String karpenter = labels.get(WellKnownLabels.CAPACITY_TYPE);
        if (karpenter != null) {
            return CapacityType.fromLabel(karpenter);
        }
        String eks = labels.get(EKS_CAPACITY_TYPE);
        return eks == null
                ? Optional.empty()
                : CapacityType.fromLabel(eks.toLowerCase().replace('_', '-'));
    }

    /** Micro-dollars per hour; empty when the node names no instance type or one neither catalogue prices. */
    public OptionalLong priceMicros(Node node) {
        Optional<String> type = instanceType(node);
        if (type.isEmpty()) {
            return OptionalLong.empty();
        }
        CapacityType capacityType = capacityType(node).orElse(CapacityType.ON_DEMAND);
        OptionalLong price = catalog.price(type.get(), capacityType);
        return price.isPresent() ? price : fallback.price(type.get(), capacityType);
    }

    /** The hourly cost of the nodes the catalogue can price. */
    public long totalMicros(Collection<Node> nodes) {
        return nodes.stream().mapToLong(n -> priceMicros(n).orElse(0)).sum();
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
    }
}

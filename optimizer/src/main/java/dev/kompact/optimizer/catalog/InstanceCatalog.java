package dev.kompact.optimizer.catalog;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EC2 instance types and their prices in one region; {@link #bundled()} is the offline catalogue shipped with Kompact,
 * for {@link #BUNDLED_REGION}, and {@link CatalogFile} holds one for any region ({@code kompact prices}).
 */
public final class InstanceCatalog {

    /** The one region the bundled prices are for (public on-demand prices for other regions are not bundled). */
    public static final String BUNDLED_REGION = "us-east-1";

    private static final String BUNDLED_RESOURCE = "/dev/kompact/optimizer/catalog/ec2-" + BUNDLED_REGION + ".csv";
    private static final long NEW_NODE_EPHEMERAL_STORAGE = 17L << 30;
    private static volatile InstanceCatalog bundled;

    private final String region;
    private final Map<String, InstanceType> types;
    /** Built once per region: the executor prices every round, and the planner every plan, in one. */
    private final Map<String, InstanceCatalog> inRegions = new ConcurrentHashMap<>();

    /** @param region the region whose prices these are, e.g. {@code eu-west-1} */
    public InstanceCatalog(String region, Collection<InstanceType> types) {
        this.region = AwsRegion.requireValid(region);
        Map<String, InstanceType> byName = new LinkedHashMap<>();
        types.forEach(t -> byName.put(t.name(), t));
        this.types = Map.copyOf(byName);
    }

    public static InstanceCatalog bundled() {
        if (bundled == null) {
            synchronized (InstanceCatalog.class) {
                if (bundled == null) {
                    bundled = readBundled();
                }
            }
        }
        return bundled;
    }

    public String region() {
        return region;
    }

    /**
     * This catalogue's types as offered in {@code region}: the same shapes and allocatable, and, for another region,
     * no prices (prices differ between regions and must never be borrowed from another one) and Spot Advisor's
     * interruption frequencies for that region.
     */
    public InstanceCatalog inRegion(String region) {
        if (region.equals(this.region)) {
            return this;
        }
        return inRegions.computeIfAbsent(region, this::unpricedIn);
    }

    private InstanceCatalog unpricedIn(String region) {
        SpotAdvisor advisor = SpotAdvisor.bundled();
        List<InstanceType> unpriced = new ArrayList<>();
        for (InstanceType type : types.values()) {
            unpriced.add(new InstanceType(
                    type.name(),
                    type.family(),
                    type.category(),
                    type.generation(),
                    type.arch(),
                    type.vcpu(),
                    type.memoryMib(),
                    type.gpuCount(),
                    type.allocatable(),
                    OptionalLong.empty(),
                    OptionalLong.empty(),
                    advisor.interruptionFrequency(region, type.name()).orElse(null)));
        }
        return new InstanceCatalog(region, unpriced);
    }

    public Optional<InstanceType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Collection<InstanceType> types() {
        return types.values();
    }

    public OptionalLong price(String instanceType, CapacityType capacityType) {
        InstanceType type = types.get(instanceType);
        return type == null ? OptionalLong.empty() : type.price(capacityType);
    }

    /** Every priced (type, capacity type) in each of {@code zones}. */
    public List<InstanceOffering> offerings(Collection<String> zones) {
        List<InstanceOffering> offerings = new ArrayList<>();
        for (InstanceType type : types.values()) {
            for (CapacityType capacityType : CapacityType.values()) {
                OptionalLong price = type.price(capacityType);
                if (price.isEmpty()) {
                    continue;
                }
                for (String zone : zones) {
                    offerings.add(new InstanceOffering(
                            type.name(),
                            zone,
                            capacityType,
                            price.getAsLong(),
                            type.allocatable(),
                            labels(type, zone, capacityType)));
                }
            }
        }
        return offerings;
    }

    public static Map<String, String> labels(InstanceType type, String zone, CapacityType capacityType) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(WellKnownLabels.INSTANCE_TYPE, type.name());
        labels.put(WellKnownLabels.ZONE, zone);
        labels.put(WellKnownLabels.ARCH, type.arch());
        labels.put(WellKnownLabels.OS, "linux");
        labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType.label());
        labels.put("karpenter.k8s.aws/instance-family", type.family());
        labels.put("karpenter.k8s.aws/instance-category", type.category());
        labels.put("karpenter.k8s.aws/instance-generation", type.generation());
        labels.put("karpenter.k8s.aws/instance-cpu", Integer.toString(type.vcpu()));
        labels.put("karpenter.k8s.aws/instance-memory", Long.toString(type.memoryMib()));
        return labels;
    }

    private static InstanceCatalog readBundled() {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (InputStream in = InstanceCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled catalogue " + BUNDLED_RESOURCE + " is missing from the jar");
            }
            List<InstanceType> types = new ArrayList<>();
            try (MappingIterator<CatalogRow> rows =
                    mapper.readerFor(CatalogRow.class).with(schema).readValues(in)) {
                rows.forEachRemaining(row -> types.add(toInstanceType(row)));
            }
            return new InstanceCatalog(BUNDLED_REGION, types);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled catalogue " + BUNDLED_RESOURCE, e);
        }
    }

    private static InstanceType toInstanceType(CatalogRow row) {
        Map<String, Long> allocatable = new TreeMap<>();
        allocatable.put(ResourceNames.CPU, row.allocatableMillicores());
        allocatable.put(ResourceNames.MEMORY, row.allocatableMemoryMib() << 20);
        allocatable.put(ResourceNames.PODS, row.maxPods());
        allocatable.put(ResourceNames.EPHEMERAL_STORAGE, NEW_NODE_EPHEMERAL_STORAGE);
        if (row.gpuCount() > 0 && !row.gpuName().startsWith("radeon")) {
            allocatable.put(ResourceNames.NVIDIA_GPU, (long) row.gpuCount());
        }
        if (row.acceleratorCount() > 0
                && (row.acceleratorName().startsWith("inferentia")
                        || row.acceleratorName().startsWith("trainium"))) {
            allocatable.put("aws.amazon.com/neuron", (long) row.acceleratorCount());
        }
        return new InstanceType(
                row.instanceType(),
                row.family(),
                row.category(),
                row.generation(),
                row.arch(),
                row.vcpu(),
                row.memoryMib(),
                row.gpuCount(),
                ResourceList.of(allocatable),
                price(row.onDemandPrice()),
                price(row.spotPrice()),
                row.interruptionFrequency());
    }

    private static OptionalLong price(String dollars) {
        return dollars == null || dollars.isBlank()
                ? OptionalLong.empty()
                : OptionalLong.of(Money.micros(new BigDecimal(dollars)));
    }
}

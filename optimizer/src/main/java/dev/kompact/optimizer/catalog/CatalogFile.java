package dev.kompact.optimizer.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Quantity;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A region's instance catalogue as a JSON file: what {@code kompact prices --region} writes from the EC2 and Price
 * List APIs, and what {@code --prices} reads back, so that a cluster outside the bundled region is priced at its own
 * region's rates. The file is external input: every price meets the same ceiling as a snapshot's, and a problem names
 * the entry and field.
 */
public final class CatalogFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    /** {@code source} says where the prices came from and when, for whoever reads the file later. */
    record Document(String region, String source, List<Entry> instanceTypes) {}

    /** Allocatable amounts are Kubernetes quantities; prices are dollars per hour, absent when not offered. */
    record Entry(
            String name,
            String family,
            String category,
            String generation,
            String arch,
            int vcpu,
            long memoryMib,
            int gpuCount,
            Map<String, String> allocatable,
            BigDecimal onDemandPricePerHour,
            BigDecimal spotPricePerHour,
            String spotInterruptionFrequency) {}

    private CatalogFile() {}

    public static void write(InstanceCatalog catalog, String source, Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (InstanceType type : catalog.types()) {
            Map<String, String> allocatable = new TreeMap<>();
            type.allocatable()
                    .amounts()
                    .forEach((resource, amount) -> allocatable.put(resource, Quantity.format(resource, amount)));
            entries.add(new Entry(
                    type.name(),
                    type.family(),
                    type.category(),
                    type.generation(),
                    type.arch(),
                    type.vcpu(),
                    type.memoryMib(),
                    type.gpuCount(),
                    allocatable,
                    dollars(type.onDemandPriceMicros()),
                    dollars(type.spotPriceMicros()),
                    type.interruptionFrequency()));
        }
        JSON.writeValue(file.toFile(), new Document(catalog.region(), source, entries));
    }

    /** @throws IllegalArgumentException naming the file, entry and field of every problem found */
    public static InstanceCatalog read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a price catalogue file");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such price catalogue file");
        }
        Document document;
        try {
            document = JSON.readValue(file.toFile(), Document.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(
                    file + " is not a price catalogue as 'kompact prices' writes it: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        if (document == null
                || document.instanceTypes() == null
                || document.instanceTypes().isEmpty()) {
            problems.add("instanceTypes: missing or empty");
        }
        try {
            AwsRegion.requireValid(document == null ? null : document.region());
        } catch (IllegalArgumentException e) {
            problems.add("region: " + e.getMessage());
        }
        List<InstanceType> types = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Entry> entries = problems.isEmpty() ? document.instanceTypes() : List.of();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String path = "instanceTypes[" + i + "]" + (entry.name() == null ? "" : " (" + entry.name() + ")");
            int before = problems.size();
            InstanceType type = type(entry, path, problems);
            Integer earlier = entry.name() == null ? null : seen.putIfAbsent(entry.name(), i);
            if (earlier != null) {
                problems.add(path + ".name: also given at instanceTypes[" + earlier + "]");
            }
            if (problems.size() == before) {
                types.add(type);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + " has " + problems.size() + " problem(s): "
                    + String.join("; ", problems.subList(0, Math.min(problems.size(), 20)))
                    + (problems.size() > 20 ? "; …" : ""));
        }
        return new InstanceCatalog(document.region(), types);
    }

    private static InstanceType type(Entry entry, String path, List<String> problems) {
        if (entry.name() == null || entry.name().isBlank()) {
            problems.add(path + ".name: missing");
        }
        if (entry.vcpu() <= 0 || entry.memoryMib() <= 0) {
            problems.add(
                    path + ": vcpu and memoryMib must be positive, got " + entry.vcpu() + " and " + entry.memoryMib());
        }
        Map<String, Long> allocatable = new TreeMap<>();
        Map<String, String> given = entry.allocatable() == null ? Map.of() : entry.allocatable();
        given.forEach((resource, text) -> Quantity.parse(resource, text)
                .filter(amount -> amount >= 0)
                .ifPresentOrElse(
                        amount -> allocatable.put(resource, amount),
                        () -> problems.add(path + ".allocatable." + resource + ": \"" + text
                                + "\" is not a quantity such as 1930m or 6903Mi")));
        for (String needed : List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.PODS)) {
            if (!given.containsKey(needed)) {
                problems.add(path + ".allocatable." + needed + ": missing");
            } else if (allocatable.getOrDefault(needed, 1L) == 0) {
                problems.add(path + ".allocatable." + needed + ": must be above 0");
            }
        }
        return new InstanceType(
                entry.name(),
                entry.family(),
                entry.category(),
                entry.generation(),
                entry.arch(),
                entry.vcpu(),
                entry.memoryMib(),
                entry.gpuCount(),
                ResourceList.of(allocatable),
                price(entry.onDemandPricePerHour(), path + ".onDemandPricePerHour", problems),
                price(entry.spotPricePerHour(), path + ".spotPricePerHour", problems),
                entry.spotInterruptionFrequency());
    }

    private static OptionalLong price(BigDecimal dollars, String path, List<String> problems) {
        if (dollars == null) {
            return OptionalLong.empty();
        }
        if (!Money.isHourlyPrice(dollars) || dollars.signum() == 0) {
            problems.add(path + ": $" + dollars.toPlainString() + "/h is no instance's price (above $0 and at most $"
                    + Money.MAX_PRICE_PER_HOUR + "/h)");
            return OptionalLong.empty();
        }
        return OptionalLong.of(Money.micros(dollars));
    }

    private static BigDecimal dollars(OptionalLong micros) {
        return micros.isPresent() ? Money.dollars(micros.getAsLong()) : null;
    }
}

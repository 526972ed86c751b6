package dev.kompact.optimizer.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AWS Spot Advisor's interruption-frequency bucket of every instance type in every region it covers, for Linux (see
 * SOURCES.md): the one spot figure AWS publishes per region without credentials. The price APIs do not give it, so a
 * region's catalogue takes it from here.
 */
public final class SpotAdvisor {

    private static final String RESOURCE = "/dev/kompact/optimizer/catalog/spot-advisor-linux.csv";
    private static volatile SpotAdvisor bundled;

    private final Map<String, Map<String, String>> frequencyByRegion;

    private SpotAdvisor(Map<String, Map<String, String>> frequencyByRegion) {
        this.frequencyByRegion = frequencyByRegion;
    }

    public static SpotAdvisor bundled() {
        if (bundled == null) {
            synchronized (SpotAdvisor.class) {
                if (bundled == null) {
                    bundled = read();
                }
            }
        }
        return bundled;
    }

    public Set<String> regions() {
        return frequencyByRegion.keySet();
    }

    /** The bucket, e.g. "5-10%"; empty for a type or region Spot Advisor does not list. */
    public Optional<String> interruptionFrequency(String region, String instanceType) {
        return Optional.ofNullable(
                frequencyByRegion.getOrDefault(region, Map.of()).get(instanceType));
    }

    private record Row(
            @JsonProperty("region") String region,
            @JsonProperty("instance_type") String instanceType,
            @JsonProperty("interruption_freq") String interruptionFrequency) {}

    private static SpotAdvisor read() {
        try (InputStream in = SpotAdvisor.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled Spot Advisor data " + RESOURCE + " is missing from the jar");
            }
            Map<String, Map<String, String>> byRegion = new HashMap<>();
            try (MappingIterator<Row> rows = new CsvMapper()
                    .readerFor(Row.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(in)) {
                rows.forEachRemaining(row -> byRegion.computeIfAbsent(row.region(), r -> new HashMap<>())
                        .put(row.instanceType(), row.interruptionFrequency()));
            }
            return new SpotAdvisor(Map.copyOf(byRegion));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled Spot Advisor data " + RESOURCE, e);
        }
    }
}

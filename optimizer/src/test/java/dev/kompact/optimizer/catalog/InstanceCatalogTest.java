package dev.kompact.optimizer.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceCatalogTest {

    private final InstanceCatalog catalog = InstanceCatalog.bundled();

    @Test
    void carriesKarpenterAllocatableAndPrices() {
        InstanceType m5 = catalog.type("m5.large").orElseThrow();

        assertThat(m5.allocatable().get("cpu")).isEqualTo(1930);
        assertThat(m5.allocatable().get("memory")).isEqualTo(6903L << 20);
        assertThat(m5.allocatable().get("pods")).isEqualTo(29);
        assertThat(catalog.price("m5.large", CapacityType.ON_DEMAND)).hasValue(96_000);
        assertThat(catalog.price("m5.large", CapacityType.SPOT)).hasValue(32_640);
    }

    @Test
    void countsNvidiaGpusButNotOtherGpus() {
        assertThat(catalog.type("g4dn.xlarge").orElseThrow().allocatable().get("nvidia.com/gpu"))
                .isEqualTo(1);
        assertThat(catalog.types())
                .filteredOn(t -> t.name().startsWith("g4ad."))
                .allMatch(t -> t.allocatable().get("nvidia.com/gpu") == 0);
    }

    @Test
    void offersOnlyPricedCapacityTypesInEachZone() {
        var offerings = catalog.offerings(List.of("us-east-1a", "us-east-1b"));

        assertThat(offerings).allMatch(o -> o.pricePerHourMicros() > 0);
        assertThat(offerings)
                .filteredOn(o -> o.instanceType().equals("m5.large"))
                .hasSize(4);
        assertThat(catalog.types()).hasSizeGreaterThan(1300);
    }
}

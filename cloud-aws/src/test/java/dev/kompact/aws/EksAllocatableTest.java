package dev.kompact.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import org.junit.jupiter.api.Test;

class EksAllocatableTest {

    @Test
    void computesMaxPodsAsTheVpcCniLimitsThem() {
        // m5.large: 3 ENIs of 10 addresses: 3 × 9 + 2
        assertThat(EksAllocatable.maxPods(3, 10)).isEqualTo(29);
    }

    @Test
    void reservesAsTheBundledCatalogueForM5Large() {
        // 2000m - (60m + 10m); 8192Mi - 615Mi overhead - (255Mi + 11Mi × 29) - 100Mi
        assertThat(EksAllocatable.of(2, 8192, 29, 0))
                .isEqualTo(
                        InstanceCatalog.bundled().type("m5.large").orElseThrow().allocatable());
    }

    @Test
    void countsNvidiaGpusAsTheBundledCatalogueForG4dnXlarge() {
        assertThat(EksAllocatable.of(4, 16384, 29, 1))
                .isEqualTo(InstanceCatalog.bundled()
                        .type("g4dn.xlarge")
                        .orElseThrow()
                        .allocatable());
    }
}

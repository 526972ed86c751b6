package dev.kompact.optimizer.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.model.CapacityType;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogFileTest {

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWrites() throws Exception {
        InstanceCatalog bundled = InstanceCatalog.bundled();
        Path file = dir.resolve("prices.json");

        CatalogFile.write(bundled, "test", file);
        InstanceCatalog read = CatalogFile.read(file);

        assertThat(read.region()).isEqualTo("us-east-1");
        assertThat(read.types()).containsExactlyInAnyOrderElementsOf(bundled.types());
        assertThat(read.price("m5.large", CapacityType.ON_DEMAND)).hasValue(96_000);
    }

    @Test
    void anotherRegionKeepsTheShapesButBorrowsNoPrice() {
        InstanceCatalog frankfurt = InstanceCatalog.bundled().inRegion("eu-central-1");

        assertThat(frankfurt.region()).isEqualTo("eu-central-1");
        assertThat(frankfurt.type("m5.large").orElseThrow().allocatable())
                .isEqualTo(
                        InstanceCatalog.bundled().type("m5.large").orElseThrow().allocatable());
        assertThat(frankfurt.price("m5.large", CapacityType.ON_DEMAND)).isEmpty();
        assertThat(frankfurt.price("m5.large", CapacityType.SPOT)).isEmpty();
        assertThat(frankfurt.offerings(java.util.List.of("eu-central-1a"))).isEmpty();
    }

    @Test
    void anotherRegionTakesItsOwnInterruptionFrequencies() {
        SpotAdvisor advisor = SpotAdvisor.bundled();
        String region = "ap-southeast-2";
        InstanceCatalog sydney = InstanceCatalog.bundled().inRegion(region);

        assertThat(advisor.regions()).contains("us-east-1", "eu-west-1", region, "sa-east-1");
        assertThat(sydney.types())
                .filteredOn(t -> advisor.interruptionFrequency(region, t.name()).isPresent())
                .isNotEmpty()
                .allMatch(t -> t.interruptionFrequency()
                        .equals(advisor.interruptionFrequency(region, t.name()).orElseThrow()));
    }

    @Test
    void bundledInterruptionFrequenciesAreSpotAdvisorsForUsEast1() {
        SpotAdvisor advisor = SpotAdvisor.bundled();

        assertThat(InstanceCatalog.bundled().types())
                .filteredOn(t -> t.interruptionFrequency() != null
                        && !t.interruptionFrequency().isBlank())
                .allMatch(t -> advisor.interruptionFrequency("us-east-1", t.name())
                        .orElseThrow()
                        .equals(t.interruptionFrequency()));
    }

    @Test
    void refusesAPriceBeyondAnyInstanceNamingTheEntry() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"region": "eu-west-1", "source": "hand-written", "instanceTypes": [
                  {"name": "m5.large", "vcpu": 2, "memoryMib": 8192, "gpuCount": 0,
                   "allocatable": {"cpu": "1930m", "memory": "6903Mi", "pods": "29"},
                   "onDemandPricePerHour": 1e30}]}""");

        assertThatThrownBy(() -> CatalogFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instanceTypes[0] (m5.large).onDemandPricePerHour")
                .hasMessageContaining("no instance's price");
    }

    @Test
    void namesEveryProblemOfEveryEntry() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"region": "europe", "source": "x", "instanceTypes": [
                  {"name": "m5.large", "vcpu": 2, "memoryMib": 8192, "gpuCount": 0,
                   "allocatable": {"cpu": "lots", "memory": "6903Mi"}}]}""");

        assertThatThrownBy(() -> CatalogFile.read(file))
                .hasMessageContaining("region: \"europe\" is not an AWS region name");
        Files.writeString(file, """
                {"region": "eu-west-1", "source": "x", "instanceTypes": [
                  {"name": "m5.large", "vcpu": 2, "memoryMib": 8192, "gpuCount": 0,
                   "allocatable": {"cpu": "lots", "memory": "6903Mi"}},
                  {"name": "m5.large", "vcpu": 2, "memoryMib": 8192, "gpuCount": 0,
                   "allocatable": {"cpu": "2", "memory": "6903Mi", "pods": "0"}}]}""");

        assertThatThrownBy(() -> CatalogFile.read(file))
                .hasMessageContaining("instanceTypes[0] (m5.large).allocatable.cpu: \"lots\" is not a quantity")
                .hasMessageContaining("instanceTypes[0] (m5.large).allocatable.pods: missing")
                .hasMessageContaining("instanceTypes[1] (m5.large).name: also given at instanceTypes[0]")
                .hasMessageContaining("instanceTypes[1] (m5.large).allocatable.pods: must be above 0");
    }

    @Test
    void refusesAnUnknownFieldAndADirectory() throws Exception {
        Path file = dir.resolve("typo.json");
        Files.writeString(file, "{\"regoin\": \"eu-west-1\", \"instanceTypes\": []}");

        assertThatThrownBy(() -> CatalogFile.read(file))
                .hasMessageContaining("not a price catalogue as 'kompact prices' writes it")
                .hasMessageContaining("regoin");
        assertThatThrownBy(() -> CatalogFile.read(dir)).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> CatalogFile.read(dir.resolve("none.json"))).isInstanceOf(NoSuchFileException.class);
    }
}

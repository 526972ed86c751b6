package dev.kompact.executor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeZonesTest {

    @Test
    void aVolumeWithoutTopologyLeavesThePodFree() {
        VolumeZones zones = new VolumeZones(List.of(volume("nfs").build()), List.of(claim("data", "nfs")));

        assertThat(zones.zoneOf(pod("data"), "us-east-1a")).isNull();
    }

    @Test
    void legacyAndDriverSpecificAffinityKeysNameTheZone() {
        VolumeZones zones = new VolumeZones(
                List.of(
                        affinity(volume("beta"), "failure-domain.beta.kubernetes.io/zone", "us-east-1b"),
                        affinity(volume("ebs"), "topology.ebs.csi.aws.com/zone", "us-east-1c")),
                List.of(claim("beta", "beta"), claim("ebs", "ebs")));

        assertThat(zones.zoneOf(pod("beta"), null)).isEqualTo("us-east-1b");
        assertThat(zones.zoneOf(pod("ebs"), null)).isEqualTo("us-east-1c");
    }

    @Test
    void volumesProvisionedBeforeCsiNameTheZoneInALabel() {
        PersistentVolume inTree = volume("in-tree")
                .editMetadata()
                .addToLabels("failure-domain.beta.kubernetes.io/zone", "us-east-1b")
                .endMetadata()
                .build();

        assertThat(new VolumeZones(List.of(inTree), List.of(claim("data", "in-tree"))).zoneOf(pod("data"), null))
                .isEqualTo("us-east-1b");
    }

    @Test
    void aRegionalVolumeKeepsThePodInItsNodesZone() {
        VolumeZones zones = new VolumeZones(
                List.of(affinity(volume("regional"), "topology.kubernetes.io/zone", "us-east-1a", "us-east-1b")),
                List.of(claim("data", "regional")));

        assertThat(zones.zoneOf(pod("data"), "us-east-1b")).isEqualTo("us-east-1b");
        assertThat(zones.zoneOf(pod("data"), null)).isNull();
    }

    @Test
    void volumesInDifferentZonesGiveNoZone() {
        VolumeZones zones = new VolumeZones(
                List.of(
                        affinity(volume("a"), "topology.kubernetes.io/zone", "us-east-1a"),
                        affinity(volume("b"), "topology.kubernetes.io/zone", "us-east-1b")),
                List.of(claim("data", "a"), claim("logs", "b")));

        assertThat(zones.zoneOf(pod("data", "logs"), "us-east-1a")).isNull();
    }

    @Test
    void anUnboundClaimOrAClaimOfAnotherNamespaceGivesNoZone() {
        PersistentVolumeClaim pending = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withNamespace("db")
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build();
        PersistentVolumeClaim elsewhere = new PersistentVolumeClaimBuilder(claim("logs", "b"))
                .editMetadata()
                .withNamespace("other")
                .endMetadata()
                .build();
        VolumeZones zones = new VolumeZones(
                List.of(affinity(volume("b"), "topology.kubernetes.io/zone", "us-east-1b")),
                List.of(pending, elsewhere));

        assertThat(zones.zoneOf(pod("data", "logs"), null)).isNull();
    }

    private static PersistentVolumeBuilder volume(String name) {
        return new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .endSpec();
    }

    private static PersistentVolume affinity(PersistentVolumeBuilder volume, String key, String... zones) {
        return volume.editSpec()
                .withNewNodeAffinity()
                .withNewRequired()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey(key)
                .withOperator("In")
                .withValues(zones)
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequired()
                .endNodeAffinity()
                .endSpec()
                .build();
    }

    private static PersistentVolumeClaim claim(String name, String volume) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withNamespace("db")
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withVolumeName(volume)
                .endSpec()
                .build();
    }

    private static Pod pod(String... claims) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("db")
                .withName("postgres-0")
                .endMetadata()
                .withNewSpec()
                .withVolumes(Arrays.stream(claims)
                        .map(c -> new VolumeBuilder()
                                .withName(c)
                                .withNewPersistentVolumeClaim()
                                .withClaimName(c)
                                .endPersistentVolumeClaim()
                                .build())
                        .toList())
                .endSpec()
                .build();
    }
}

package dev.kompact.executor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.Volume;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KubectlDumpConverterTest {

    final InstanceCatalog catalog = InstanceCatalog.bundled();

    SnapshotDocument convert() throws Exception {
        return convert("kubectl-dump.json");
    }

    SnapshotDocument convert(String dump) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(dump)) {
            return new KubectlDumpConverter(catalog).convert(in, dump, "prod");
        }
    }

    @Test
    void convertsNodesPodsAndBudgetsIntoAValidSnapshot() throws Exception {
        ClusterSnapshot snapshot = SnapshotJson.read(convert(), catalog, "kubectl-dump.json");

        assertThat(snapshot.name()).isEqualTo("prod");
        assertThat(snapshot.nodes()).hasSize(2);
        assertThat(snapshot.pods())
                .extracting(p -> p.key().toString())
                .containsExactlyInAnyOrder("shop/web-7d9f-abcde", "kube-system/kube-proxy-xyz");
        assertThat(snapshot.podDisruptionBudgets())
                .singleElement()
                .satisfies(pdb -> assertThat(pdb.minAvailable()).isEqualTo("50%"));
    }

    @Test
    void pricesNodesFromTheCatalogueByTypeAndCapacityLabels() throws Exception {
        ClusterSnapshot snapshot = SnapshotJson.read(convert(), catalog, "kubectl-dump.json");

        Node spot = snapshot.node("ip-10-0-1-10.ec2.internal").orElseThrow();
        assertThat(spot.capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(spot.pricePerHourMicros())
                .isEqualTo(catalog.price("m5.large", CapacityType.SPOT).getAsLong());
        // legacy beta labels and the EKS managed node group's ON_DEMAND
        Node eks = snapshot.node("ip-10-0-2-20.ec2.internal").orElseThrow();
        assertThat(eks.instanceType()).isEqualTo("m5.xlarge");
        assertThat(eks.zone()).isEqualTo("us-east-1b");
        assertThat(eks.capacityType()).isEqualTo(CapacityType.ON_DEMAND);
        assertThat(eks.unschedulable()).isTrue();
    }

    @Test
    void requestsAreWhatTheSchedulerReserves() throws Exception {
        ClusterSnapshot snapshot = SnapshotJson.read(convert(), catalog, "kubectl-dump.json");

        Pod web = snapshot.pods().stream()
                .filter(p -> p.name().equals("web-7d9f-abcde"))
                .findFirst()
                .orElseThrow();
        // containers 250m + 100m = 350m, but the init container alone asks 1000m; memory 256Mi + 128Mi beats 64Mi
        assertThat(web.requests().get(ResourceNames.CPU)).isEqualTo(1000);
        assertThat(web.requests().get(ResourceNames.MEMORY)).isEqualTo(384L << 20);
        assertThat(web.owner().kind()).isEqualTo("ReplicaSet");
        assertThat(web.priority()).isEqualTo(100);
        assertThat(web.tolerations()).hasSize(1);
    }

    @Test
    void persistentVolumesInTheDumpGivePodsTheirVolumeZone() throws Exception {
        ClusterSnapshot snapshot = SnapshotJson.read(convert("kubectl-dump-volumes.json"), catalog, "dump");

        Pod postgres = snapshot.pods().get(0);
        assertThat(postgres.volumeZone()).isEqualTo("us-east-1b");
        // the projected service-account token is rebuilt wherever the pod lands: only storage that decides is kept
        assertThat(postgres.volumes())
                .containsExactly(
                        new Volume("data", Volume.Kind.PERSISTENT_VOLUME_CLAIM),
                        new Volume("shm", Volume.Kind.EMPTY_DIR));
    }

    @Test
    void aDumpWithoutPersistentVolumesGivesNoVolumeZones() throws Exception {
        ClusterSnapshot snapshot = SnapshotJson.read(convert(), catalog, "kubectl-dump.json");

        assertThat(snapshot.pods()).allSatisfy(p -> assertThat(p.volumeZone()).isNull());
    }

    @Test
    void rejectsASingleObjectWithTheCommandToRun() {
        String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"}}";

        assertThatThrownBy(() -> new KubectlDumpConverter(catalog)
                        .convert(new ByteArrayInputStream(node.getBytes(StandardCharsets.UTF_8)), "node.json", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node.json holds a single Node")
                .hasMessageContaining("kubectl get nodes,pods,pdb,pv,pvc -A -o json");
    }
}

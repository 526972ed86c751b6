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
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        ClusterSnapshot snapshot = new SnapshotReader(catalog).read(convert(), "kubectl-dump.json");

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
        ClusterSnapshot snapshot = new SnapshotReader(catalog).read(convert(), "kubectl-dump.json");

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
        ClusterSnapshot snapshot = new SnapshotReader(catalog).read(convert(), "kubectl-dump.json");

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
        ClusterSnapshot snapshot = new SnapshotReader(catalog).read(convert("kubectl-dump-volumes.json"), "dump");

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
        ClusterSnapshot snapshot = new SnapshotReader(catalog).read(convert(), "kubectl-dump.json");

        assertThat(snapshot.pods()).allSatisfy(p -> assertThat(p.volumeZone()).isNull());
    }

    @Test
    void readsTheApisTypedListsWhoseItemsLackKindAndYamlListsAndDocuments() throws Exception {
        SnapshotDocument document = new KubectlDumpConverter(catalog)
                .convert(
                        List.of(
                                shape("nodes-api.json"),
                                shape("pods-api.json"),
                                shape("pdbs.yaml"),
                                shape("volumes.yaml")),
                        "eu");
        ClusterSnapshot snapshot = new SnapshotReader(catalog).read(document, "eu");

        assertThat(snapshot.nodes())
                .extracting(Node::name)
                .containsExactly("ip-10-1-1-10.eu-west-1.compute.internal", "ip-10-1-2-20.eu-west-1.compute.internal");
        assertThat(snapshot.nodes().get(0).allocatable().get(ResourceNames.CPU)).isEqualTo(1930);
        assertThat(snapshot.pods())
                .extracting(p -> p.key().toString())
                .containsExactly("shop/catalog-api-5d8f7c9b6d-q2w7x", "default/debug-shell");
        assertThat(snapshot.podDisruptionBudgets())
                .singleElement()
                .satisfies(pdb -> assertThat(pdb.name()).isEqualTo("catalog-api"));
    }

    @Test
    void summarySaysWhatTheReportTakesOnTrust() throws Exception {
        SnapshotDocument document = new KubectlDumpConverter(catalog)
                .convert(List.of(shape("nodes-api.json"), shape("pods-api.json"), shape("pdbs.yaml")), "eu");

        assertThat(ConversionSummary.of(document, catalog))
                .isEqualTo("2 nodes, 2 pods, 1 PodDisruptionBudget; 1 pod without requests (counted as using nothing);"
                        + " 2 nodes in eu-west-1 priced at us-east-1 rates, the catalogue's region; 'kompact prices"
                        + " --region eu-west-1' writes eu-west-1's for --prices"
                        + " (ip-10-1-1-10.eu-west-1.compute.internal, ip-10-1-2-20.eu-west-1.compute.internal)");
    }

    @Test
    void nodesPricedFromTheirOwnRegionsCatalogueNeedNoWarning() throws Exception {
        // the bundled shapes and prices standing in for a catalogue 'kompact prices --region eu-west-1' wrote
        InstanceCatalog ireland = new InstanceCatalog("eu-west-1", catalog.types());
        SnapshotDocument document = new KubectlDumpConverter(ireland)
                .convert(List.of(shape("nodes-api.json"), shape("pods-api.json"), shape("pdbs.yaml")), "eu");

        assertThat(ConversionSummary.of(document, ireland))
                .isEqualTo("2 nodes, 2 pods, 1 PodDisruptionBudget; 1 pod without requests (counted as using"
                        + " nothing)");
    }

    @Test
    void anotherRegionsNodeIsNeverPricedFromTheBundledRegion() throws Exception {
        InstanceCatalog ireland = InstanceCatalog.bundled().inRegion("eu-west-1");
        SnapshotDocument document = new KubectlDumpConverter(ireland).convert(List.of(shape("nodes-api.json")), "eu");

        assertThat(document.nodes())
                .allSatisfy(node -> assertThat(node.pricePerHour()).isNull());
        assertThat(ConversionSummary.of(document, ireland))
                .contains("2 nodes without a known eu-west-1 price, give pricePerHour in the snapshot");
    }

    @Test
    void summaryNamesNodesWithoutAKnownPrice() throws Exception {
        String dump = Files.readString(shape("list-without-kinds.json")).replace("t3.medium", "x99.mega");
        SnapshotDocument document = new KubectlDumpConverter(catalog).convert(stream(dump), "dump.json", "c");

        assertThat(ConversionSummary.of(document, catalog))
                .endsWith("1 node without a known us-east-1 price, give pricePerHour in the snapshot"
                        + " (ip-10-0-9-9.ec2.internal (x99.mega))");
    }

    @Test
    void knowsItemsWithoutKindInAPlainListByTheirShape() throws Exception {
        SnapshotDocument document =
                new KubectlDumpConverter(catalog).convert(List.of(shape("list-without-kinds.json")), "c");

        assertThat(document.nodes()).extracting(d -> d.name()).containsExactly("ip-10-0-9-9.ec2.internal");
        assertThat(document.pods()).extracting(d -> d.name()).containsExactly("worker-0");
        assertThat(document.podDisruptionBudgets()).hasSize(1);
    }

    @Test
    void readsAClusterInfoDumpFromStdoutSkippingTheContainerLogs() throws Exception {
        SnapshotDocument document =
                new KubectlDumpConverter(catalog).convert(List.of(shape("cluster-info-dump.txt")), "c");

        assertThat(document.nodes()).hasSize(2);
        assertThat(document.pods())
                .extracting(d -> d.name())
                .containsExactlyInAnyOrder("coredns-7db6d-k8x2p", "web-6c5d7-abcde", "web-6c5d7-fghij");
    }

    @Test
    void readsAClusterInfoDumpDirectory() throws Exception {
        SnapshotDocument document = new KubectlDumpConverter(catalog).convert(List.of(shape("cluster-info-dump")), "c");

        assertThat(document.nodes()).hasSize(2);
        assertThat(document.pods()).hasSize(3);
    }

    @Test
    void aDumpWithoutNodesSaysWhatItHeldAndTheCommandToRun() {
        assertThatThrownBy(() -> new KubectlDumpConverter(catalog).convert(List.of(shape("pods-api.json")), "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("pods-api.json holds no Node (only 2 Pod). Produce it with: "
                        + "kubectl get nodes,pods,pdb,pv,pvc -A -o json > dump.json");
    }

    @Test
    void anEmptyOrUnreadableFileIsNamed() {
        assertThatThrownBy(() -> new KubectlDumpConverter(catalog).convert(stream("  \n"), "empty.json", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty.json is empty");
        assertThatThrownBy(() -> new KubectlDumpConverter(catalog).convert(stream("{\"kind\": "), "cut.json", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cut.json is not Kubernetes JSON: ");
    }

    private Path shape(String name) throws Exception {
        return Path.of(getClass().getResource("shapes/" + name).toURI());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}

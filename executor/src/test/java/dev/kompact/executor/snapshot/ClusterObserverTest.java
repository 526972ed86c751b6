package dev.kompact.executor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.Volume;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterObserverTest {

    TestCluster cluster;
    ClusterObserver observer;

    @BeforeEach
    void start() {
        cluster = new TestCluster(Duration.ofMillis(20));
        cluster.node("node-1", "m5.xlarge");
        cluster.replicaPod("shop", "web", "web-a", "node-1");
        observer = new ClusterObserver(cluster.client(), CatalogSource.bundled(), "test");
        observer.start();
    }

    @AfterEach
    void stop() {
        observer.close();
        cluster.close();
    }

    @Test
    void snapshotFollowsTheCluster() throws Exception {
        assertThat(observer.isSynced()).isTrue();
        assertThat(observer.snapshot().pods())
                .extracting(p -> p.key().toString())
                .containsExactly("shop/web-a");

        cluster.node("node-2", "m5.large");
        cluster.replicaPod("shop", "web", "web-b", "node-2");
        cluster.minAvailable("shop", "web", "web", 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var snapshot = observer.snapshot();
            assertThat(snapshot.nodes()).hasSize(2);
            assertThat(snapshot.pods())
                    .extracting(p -> p.key().toString())
                    .containsExactlyInAnyOrder("shop/web-a", "shop/web-b");
            assertThat(snapshot.podDisruptionBudgets()).hasSize(1);
        });
    }

    @Test
    void podsOfADeletedNodeAreLeftOutUntilTheirGarbageCollection() throws Exception {
        cluster.node("node-2", "m5.large");
        cluster.replicaPod("shop", "web", "web-b", "node-2");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> observer.snapshot().pods().size() == 2);

        // as after a node's termination: its Node object is gone, its pods wait for Kubernetes' pod GC
        cluster.client().nodes().withName("node-2").delete();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var snapshot = observer.snapshot();
            assertThat(snapshot.nodes()).extracting(n -> n.name()).containsExactly("node-1");
            assertThat(snapshot.pods()).extracting(p -> p.key().toString()).containsExactly("shop/web-a");
        });
    }

    @Test
    void podsTakeTheZoneOfTheVolumeTheirClaimIsBoundTo() throws Exception {
        cluster.client()
                .nodes()
                .resource(TestCluster.nodeObject(
                        "node-b", "m5.large", "i-0b", Map.of("topology.kubernetes.io/zone", "us-east-1b")))
                .create();
        cluster.zonalClaim("db", "data-postgres-0", "us-east-1b");
        cluster.replicaPod(
                "db",
                "postgres",
                "postgres-0",
                "node-b",
                new VolumeBuilder()
                        .withName("data")
                        .withNewPersistentVolumeClaim()
                        .withClaimName("data-postgres-0")
                        .endPersistentVolumeClaim()
                        .build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod postgres = pod(observer.snapshot(), "db/postgres-0");
            assertThat(postgres.volumeZone()).isEqualTo("us-east-1b");
            assertThat(postgres.volumes()).containsExactly(new Volume("data", Volume.Kind.PERSISTENT_VOLUME_CLAIM));
        });
        assertThat(pod(observer.snapshot(), "shop/web-a").volumeZone()).isNull();
    }

    @Test
    void exporterMarksLocalStorageSoThePodsMobilityCanBeJudged() throws Exception {
        cluster.replicaPod(
                "shop",
                "cache",
                "cache-a",
                "node-1",
                new VolumeBuilder()
                        .withName("scratch")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build(),
                new VolumeBuilder()
                        .withName("logs")
                        .withNewHostPath()
                        .withPath("/var/log")
                        .endHostPath()
                        .build(),
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("cache")
                        .endConfigMap()
                        .build());

        ClusterSnapshot snapshot = new SnapshotReader(InstanceCatalog.bundled())
                .read(new SnapshotExporter(cluster.client(), InstanceCatalog.bundled()).export("test"), "test");

        assertThat(pod(snapshot, "shop/cache-a").volumes())
                .containsExactly(
                        new Volume("scratch", Volume.Kind.EMPTY_DIR), new Volume("logs", Volume.Kind.HOST_PATH));
        assertThat(pod(snapshot, "shop/web-a").volumes()).isEmpty();
    }

    @Test
    void exporterWritesTheSameClusterAsJson() {
        String json =
                SnapshotJson.write(new SnapshotExporter(cluster.client(), InstanceCatalog.bundled()).export("test"));

        assertThat(json)
                .contains(
                        "\"kind\" : \"ClusterSnapshot\"",
                        "\"name\" : \"node-1\"",
                        "\"instanceType\" : " + "\"m5.xlarge\"",
                        "\"name\" : \"web-a\"");
    }

    private static Pod pod(ClusterSnapshot snapshot, String key) {
        return snapshot.pods().stream()
                .filter(p -> p.key().equals(PodKey.parse(key)))
                .findFirst()
                .orElseThrow();
    }
}

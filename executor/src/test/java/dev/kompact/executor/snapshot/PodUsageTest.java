package dev.kompact.executor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDocument;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mock server does not serve {@code metrics.k8s.io}: it runs here in mixed mode, where an expectation answers
 * the metrics query the way metrics-server would (or 404s, as a cluster without it does) and the CRUD store serves
 * the rest.
 */
class PodUsageTest {

    static final String METRICS = "/apis/metrics.k8s.io/v1beta1/pods";

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), responses, new KubernetesMixedDispatcher(responses), false);
        server.init();
        client = server.createClient();
        client.nodes()
                .resource(TestCluster.nodeObject("node-1", "m5.xlarge", "i-01", Map.of()))
                .create();
        client.pods()
                .inNamespace("shop")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("web-a")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-1")
                        .addNewContainer()
                        .withName("app")
                        .withImage("nginx")
                        .withNewResources()
                        .addToRequests("cpu", new Quantity("500m"))
                        .endResources()
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void usageIsTheSumOfThePodsContainersAsMetricsServerReportsThem() throws Exception {
        server.expect()
                .get()
                .withPath(METRICS)
                .andReturn(
                        200,
                        new PodMetricsListBuilder()
                                .addToItems(new PodMetricsBuilder()
                                        .withNewMetadata()
                                        .withNamespace("shop")
                                        .withName("web-a")
                                        .endMetadata()
                                        .withTimestamp("2025-01-01T00:00:00Z")
                                        .withWindow(Duration.parse("15s"))
                                        .addNewContainer()
                                        .withName("app")
                                        .addToUsage("cpu", new Quantity("250000000n"))
                                        .addToUsage("memory", new Quantity("200Mi"))
                                        .endContainer()
                                        .addNewContainer()
                                        .withName("sidecar")
                                        .addToUsage("cpu", new Quantity("12345678n"))
                                        .addToUsage("memory", new Quantity("56Mi"))
                                        .addToUsage("swap", new Quantity("0"))
                                        .endContainer()
                                        .build())
                                .build())
                .always();

        SnapshotDocument document = new SnapshotExporter(client, InstanceCatalog.bundled()).export("test");

        // 262.345678m, rounded up to whole millicores as requests are
        assertThat(web(document).usage())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", "263m", "memory", String.valueOf(256L << 20)));
        ClusterSnapshot snapshot = new SnapshotReader(InstanceCatalog.bundled()).read(document, "test");
        assertThat(snapshot.pods().get(0).usage().get(ResourceNames.MEMORY)).isEqualTo(256L << 20);
    }

    @Test
    void aClusterWithoutMetricsStillSnapshotsWithRequestsAndNoUsage() {
        server.expect()
                .get()
                .withPath(METRICS)
                .andReturn(404, "404 page not found")
                .always();
        SnapshotExporter exporter = new SnapshotExporter(client, InstanceCatalog.bundled());

        // twice, as a controller asks every interval
        exporter.export("test");
        SnapshotDocument document = exporter.export("test");

        assertThat(web(document).usage()).isEmpty();
        assertThat(web(document).requests()).containsEntry("cpu", "500m");
    }

    private static PodDocument web(SnapshotDocument document) {
        return document.pods().stream()
                .filter(p -> p.name().equals("web-a"))
                .findFirst()
                .orElseThrow();
    }
}

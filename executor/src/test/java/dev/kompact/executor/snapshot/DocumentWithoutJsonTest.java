package dev.kompact.executor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller reads each round's document straight into the model; until #11 it wrote the document as JSON text
 * and parsed that back. Both ways must give the same model, and the same problems.
 */
class DocumentWithoutJsonTest {

    private final SnapshotReader reader = new SnapshotReader(InstanceCatalog.bundled());

    @Test
    void buildsTheBundledSampleIntoTheModelItsJsonTextGives() throws Exception {
        SnapshotDocument sample = sample();

        ClusterSnapshot direct = reader.read(sample, "sample");

        assertThat(direct.pods()).hasSizeGreaterThan(100);
        assertThat(direct).isEqualTo(throughJson(sample));
    }

    @Test
    void buildsAConvertedClusterIntoTheModelItsJsonTextGives() throws Exception {
        SnapshotDocument dump;
        try (InputStream in = getClass().getResourceAsStream("kubectl-dump.json")) {
            dump = new KubectlDumpConverter(InstanceCatalog.bundled()).convert(in, "dump", "prod");
        }

        assertThat(reader.read(dump, "dump")).isEqualTo(throughJson(dump));
    }

    @Test
    void buildsAnObservedClusterIntoTheModelItsJsonTextGives() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofMillis(20));
                ClusterObserver observer = new ClusterObserver(cluster.client(), CatalogSource.bundled(), "test")) {
            cluster.client()
                    .nodes()
                    .resource(TestCluster.nodeObject(
                            "node-1", "m5.2xlarge", "i-0aaa", Map.of("karpenter.sh/capacity-type", "spot")))
                    .create();
            cluster.node("node-2", "m5.2xlarge");
            for (int i = 1; i <= 2; i++) {
                cluster.replicaPod("shop", "web", "web-" + i, "node-" + i);
            }
            cluster.daemonSetPod("logs-1", "node-1");
            cluster.barePod("shop", "debug", "node-2", Map.of("kompact.dev/do-not-disrupt", "true"));
            cluster.minAvailable("shop", "web", "web", 1);
            observer.start();
            await().atMost(Duration.ofSeconds(30)).until(observer::isSynced);
            SnapshotDocument observed = observer.document();

            assertThat(reader.read(observed, "test")).isEqualTo(throughJson(observed));
        }
    }

    @Test
    void namesTheSameProblemsAsItsJsonText() throws Exception {
        SnapshotDocument sample = sample();
        SnapshotDocument wrongKind =
                new SnapshotDocument(sample.apiVersion(), "Snapshot", null, sample.nodes(), sample.pods(), null, null);

        InvalidSnapshotException viaJson =
                catchThrowableOfType(InvalidSnapshotException.class, () -> throughJson(wrongKind));

        assertThat(viaJson).hasMessageContaining("kind: \"Snapshot\" is not supported");
        assertThatThrownBy(() -> reader.read(wrongKind, "sample")).hasMessage(viaJson.getMessage());
    }

    private SnapshotDocument sample() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/kompact/optimizer/sample/sample-cluster.json")) {
            return new ObjectMapper().readValue(in, SnapshotDocument.class);
        }
    }

    private ClusterSnapshot throughJson(SnapshotDocument document) throws Exception {
        byte[] json = SnapshotJson.write(document).getBytes(StandardCharsets.UTF_8);
        return reader.read(new ByteArrayInputStream(json), "sample");
    }
}

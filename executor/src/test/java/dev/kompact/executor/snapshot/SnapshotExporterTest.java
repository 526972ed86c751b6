package dev.kompact.executor.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotExporterTest {

    @TempDir
    Path dir;

    @Test
    void readsTheClusterTheKubeconfigContextPointsAt() throws Exception {
        try (TestCluster cluster = new TestCluster(Duration.ofMillis(20))) {
            cluster.node("node-1", "m5.xlarge");
            cluster.replicaPod("shop", "web", "web-a", "node-1");
            Path kubeconfig = dir.resolve("config");
            Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: elsewhere
            cluster: {server: "http://localhost:1"}
          - name: test
            cluster: {server: "%s"}
          users:
          - name: me
            user: {token: secret}
          contexts:
          - name: other
            context: {cluster: elsewhere, user: me}
          - name: test
            context: {cluster: test, user: me}
          current-context: other
          """.formatted(cluster.client().getMasterUrl()));

            SnapshotDocument document =
                    SnapshotExporter.fromKubeconfig(kubeconfig, "test", "prod", InstanceCatalog.bundled());

            assertThat(document.metadata().name()).isEqualTo("prod");
            assertThat(document.nodes())
                    .extracting(SnapshotDocument.NodeDocument::name)
                    .containsExactly("node-1");
            assertThat(document.pods())
                    .extracting(SnapshotDocument.PodDocument::name)
                    .containsExactly("web-a");
        }
    }

    @Test
    void namesAMissingKubeconfig() {
        assertThatThrownBy(() ->
                        SnapshotExporter.fromKubeconfig(dir.resolve("nope"), null, "c", InstanceCatalog.bundled()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope");
    }
}

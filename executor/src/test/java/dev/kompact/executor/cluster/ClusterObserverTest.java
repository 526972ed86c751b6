package dev.kompact.executor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.Pod;
import java.time.Duration;
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
    observer = new ClusterObserver(cluster.client(), InstanceCatalog.bundled(), "test");
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
    assertThat(observer.snapshot().pods()).extracting(Pod::key).containsExactly("shop/web-a");

    cluster.node("node-2", "m5.large");
    cluster.replicaPod("shop", "web", "web-b", "node-2");
    cluster.minAvailable("shop", "web", "web", 1);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var snapshot = observer.snapshot();
      assertThat(snapshot.nodes()).hasSize(2);
      assertThat(snapshot.pods()).extracting(Pod::key).containsExactlyInAnyOrder("shop/web-a", "shop/web-b");
      assertThat(snapshot.podDisruptionBudgets()).hasSize(1);
    });
  }

  @Test
  void exporterWritesTheSameClusterAsJson() {
    String json = SnapshotJson.write(new SnapshotExporter(cluster.client(), InstanceCatalog.bundled())
        .export("test"));

    assertThat(json).contains("\"kind\" : \"ClusterSnapshot\"", "\"name\" : \"node-1\"", "\"instanceType\" : "
        + "\"m5.xlarge\"", "\"name\" : \"web-a\"");
  }
}

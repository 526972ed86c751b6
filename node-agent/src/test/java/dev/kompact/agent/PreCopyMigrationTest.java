package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Iterative pre-copy needs the kernel's soft-dirty bits: skipped where CRIU cannot track dirty memory. */
@Tag("criu")
class PreCopyMigrationTest {
  @TempDir
  static Path workDir;
  static EmulatedCluster cluster;
  static AgentProcess nodeA;
  static AgentProcess nodeB;

  static final Optional<String> missing = HostTools.liveMigrationMissing();
  static boolean dirtyTracking;

  @BeforeAll
  static void startCluster() throws Exception {
    dirtyTracking = missing.isEmpty() && PostCopyMigrationTest.criuFeature("mem_dirty_track");
    if (!dirtyTracking) {
      return;
    }
    cluster = EmulatedCluster.create(workDir);
    nodeA = cluster.startAgent("nodeA");
    nodeB = cluster.startAgent("nodeB");
  }

  @BeforeEach
  void needsDirtyTracking() {
    assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
    assumeTrue(dirtyTracking, "kernel lacks soft-dirty (mem_dirty_track)");
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void migratesFromAChainOfPreDumpsAndKeepsTcpConnectionAndCounter() throws Exception {
    CounterPod pod = cluster.startCounterPod("nodeA", "pre1", "10.213.0.24/24");
    try (CounterClient client = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
      client.awaitMoreExchanges(10, 5000);
      long before = client.lastCounter();

      MigrationStatus status = cluster.agent(nodeA).migrate(MigrateRequest.newBuilder().setMigrationId("m-pre")
          .setContainerId(pod.id()).setTargetAddress(nodeB.address()).setTargetNode(nodeB.node())
          .setStrategy(Strategy.PRE_COPY).build());

      client.awaitMoreExchanges(10, 10_000);
      assertThat(status.getPhase()).isEqualTo(Phase.COMMITTED);
      assertThat(status.getStrategy()).isEqualTo(Strategy.PRE_COPY);
      assertThat(client.lastCounter()).as("counter continued in the restored memory").isGreaterThan(before + 10);
      assertThat(cluster.container("nodeB", pod.id())).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
      assertThat(cluster.container("nodeA", pod.id())).isEmpty();
      assertThat(Files.list(workDir.resolve("nodeA/state/outgoing"))).as("no pre-dump left on the source").isEmpty();
    }
  }
}

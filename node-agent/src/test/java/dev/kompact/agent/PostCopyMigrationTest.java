package dev.kompact.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.runtime.ContainerRuntime;
import dev.kompact.agent.runtime.RuncRuntime;
import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.v1.AbortRequest;
import dev.kompact.agent.v1.CapabilitiesRequest;
import dev.kompact.agent.v1.CapabilitiesResponse;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Phase;
import dev.kompact.agent.v1.Strategy;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Real CRIU post-copy (lazy pages) migrations between agents, and the choice of strategy by kernel features. */
@Tag("criu")
class PostCopyMigrationTest {
  private static final Logger log = LoggerFactory.getLogger(PostCopyMigrationTest.class);

  @TempDir
  static Path workDir;
  static EmulatedCluster cluster;
  static AgentProcess nodeA;
  static AgentProcess nodeB;
  /** A source that streams slowly, so that a test can act mid-transfer. */
  static AgentProcess slowSource;
  /** A target the rollback test kills and restarts. */
  static AgentProcess fragileTarget;

  static final Optional<String> missing = HostTools.liveMigrationMissing();

  @BeforeAll
  static void startCluster() throws Exception {
    if (missing.isPresent()) {
      return;
    }
    cluster = EmulatedCluster.create(workDir);
    nodeA = cluster.startAgent("nodeA");
    nodeB = cluster.startAgent("nodeB");
    slowSource = cluster.startAgent("nodeS", "--transfer-bytes-per-second", "400000");
    fragileTarget = cluster.startAgent("nodeT");
  }

  @BeforeEach
  void needsLiveMigration() {
    assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void choosesPostCopyByDefaultAndKeepsTcpConnectionCounterAndAddress() throws Exception {
    assumeTrue(criuFeature("uffd-noncoop"), "kernel lacks userfaultfd for lazy pages (criu check --feature"
        + " uffd-noncoop)");
    CounterPod pod = cluster.startCounterPod("nodeA", "lazy1", "10.213.0.21/24");
    try (CounterClient client = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
      client.awaitMoreExchanges(20, 5000);
      long before = client.lastCounter();
      client.resetLongestPause();

      MigrationStatus status = cluster.agent(nodeA).migrate(request("m-lazy", pod, nodeB).build());

      client.awaitMoreExchanges(20, 10_000);
      assertThat(status.getPhase()).isEqualTo(Phase.COMMITTED);
      assertThat(status.getStrategy()).isEqualTo(Strategy.POST_COPY);
      assertThat(client.lastCounter()).as("counter continued in the restored memory").isGreaterThan(before + 20);
      assertThat(cluster.container("nodeB", pod.id())).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
      assertThat(cluster.container("nodeA", pod.id())).isEmpty();
      assertThat(cluster.namespaceExists("nodeA", pod.id())).isFalse();
      assertThat(Commands.run(Duration.ofSeconds(5), "ip", "-n", "kompact-nodeB-" + pod.id(), "-4", "-o", "addr",
          "show").output()).contains("10.213.0.21/24");
      assertThat(Files.list(workDir.resolve("nodeA/state/outgoing"))).as("nothing left on the source").isEmpty();
      assertThat(Files.list(workDir.resolve("nodeB/state/incoming"))).as("nothing left on the target").isEmpty();
      var t = status.getTimings();
      log.info("post-copy migration: freeze {} ms (checkpoint {}, transfer {}, restore {}), pages {} ms after, total"
          + " {} ms, image {} bytes, longest pause seen by the client {} ms", t.getFreezeMillis(),
          t.getCheckpointMillis(), t.getTransferMillis(), t.getRestoreMillis(), t.getPagesMillis(),
          t.getTotalMillis(), status.getImageBytes(), client.longestPauseMillis());
    }
  }

  @Test
  void rollsBackPostCopyWhenTargetAgentDiesMidTransfer() throws Exception {
    CounterPod pod = cluster.startCounterPod("nodeS", "lazy2", "10.213.0.22/24");
    try (CounterClient client = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
      client.awaitMoreExchanges(20, 5000);
      long before = client.lastCounter();
      var source = cluster.agent(slowSource);
      CompletableFuture<MigrationStatus> migration = CompletableFuture.supplyAsync(
          () -> source.migrate(request("m-lazy-rollback", pod, fragileTarget).setStrategy(Strategy.POST_COPY)
              .build()));
      cluster.awaitPhase(slowSource, "m-lazy-rollback", Phase.TRANSFERRING);
      // at once: the bundle went before the freeze, only the small checkpoint is left to send
      fragileTarget.kill();

      assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("rolled back").hasMessageContaining("runs on nodeS again");
      client.awaitMoreExchanges(20, 15_000);
      assertThat(client.lastCounter()).as("same connection, same memory").isGreaterThan(before + 20);
      assertThat(cluster.container("nodeS", pod.id())).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
      assertThat(cluster.agent(slowSource).getMigration(GetMigrationRequest.newBuilder()
          .setMigrationId("m-lazy-rollback").build()).getPhase()).isEqualTo(Phase.ROLLED_BACK);

      fragileTarget.launch();
      assertThat(cluster.container("nodeT", pod.id())).isEmpty();
      assertThat(cluster.namespaceExists("nodeT", pod.id())).isFalse();
      assertThat(Files.list(workDir.resolve("nodeT/state/incoming"))).isEmpty();
      assertThat(Files.list(workDir.resolve("nodeT/state/bundles"))).isEmpty();
      assertThat(Files.list(workDir.resolve("nodeS/state/outgoing"))).isEmpty();
    }
  }

  @Test
  void rollsBackPostCopyWhenControllerAbortsMidTransfer() throws Exception {
    CounterPod pod = cluster.startCounterPod("nodeS", "lazy3", "10.213.0.23/24");
    try (CounterClient client = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
      client.awaitMoreExchanges(10, 5000);
      var source = cluster.agent(slowSource);
      CompletableFuture<MigrationStatus> migration = CompletableFuture.supplyAsync(
          () -> source.migrate(request("m-lazy-abort", pod, nodeB).setStrategy(Strategy.POST_COPY).build()));
      cluster.awaitPhase(slowSource, "m-lazy-abort", Phase.TRANSFERRING);

      source.abort(AbortRequest.newBuilder().setMigrationId("m-lazy-abort").setReason("plan cancelled").build());

      assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class)
          .hasMessageContaining("ABORTED").hasMessageContaining("plan cancelled");
      client.awaitMoreExchanges(10, 15_000);
      assertThat(cluster.container("nodeS", pod.id())).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
      assertThat(cluster.container("nodeB", pod.id())).isEmpty();
      assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();
    }
  }

  @Test
  void resumesSourceWhenSourceAgentRestartsMidPostCopy() throws Exception {
    CounterPod pod = cluster.startCounterPod("nodeS", "lazy4", "10.213.0.25/24");
    try (CounterClient client = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
      client.awaitMoreExchanges(10, 5000);
      long before = client.lastCounter();
      var source = cluster.agent(slowSource);
      CompletableFuture<MigrationStatus> migration = CompletableFuture.supplyAsync(
          () -> source.migrate(request("m-lazy-source-crash", pod, nodeB).setStrategy(Strategy.POST_COPY).build()));
      cluster.awaitPhase(slowSource, "m-lazy-source-crash", Phase.TRANSFERRING);

      slowSource.kill();
      assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class);
      slowSource.launch();

      client.awaitMoreExchanges(10, 20_000);
      assertThat(client.lastCounter()).as("same connection, same memory").isGreaterThan(before + 10);
      assertThat(cluster.container("nodeS", pod.id())).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
      assertThat(cluster.container("nodeB", pod.id())).isEmpty();
      assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();
      assertThat(Files.list(workDir.resolve("nodeS/state/outgoing"))).isEmpty();
    }
  }

  /**
   * The one window post-copy cannot roll back: the pod runs on the target, part of its memory is still on the frozen
   * source, and the source dies. The pages capped at 400 kB/s and ~4 MB held by the pod keep the window open for
   * seconds.
   */
  @Test
  void losesThePodButNeverRunsTwoCopiesWhenTheSourceDiesWhileTheTargetFetchesPages() throws Exception {
    CounterPod pod = cluster.startCounterPod("nodeS", "lazy5", "10.213.0.26/24",
        "/bin/sh -c 'x=$(yes | head -c 4000000); while sleep 3600; do :; done'", List.of());
    try (CounterClient client = CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
      client.awaitMoreExchanges(10, 5000);
      var source = cluster.agent(slowSource);
      CompletableFuture<MigrationStatus> migration = CompletableFuture.supplyAsync(
          () -> source.migrate(request("m-lazy-window", pod, nodeB).setStrategy(Strategy.POST_COPY).build()));
      awaitRunning("nodeB", pod.id());
      assertThat(processStates("nodeS", pod.id())).as("the source copy stays stopped (seized by CRIU, or frozen)")
          .isNotEmpty().allMatch(state -> "tTD".indexOf(state) >= 0);

      slowSource.kill();

      assertThatThrownBy(migration::join).hasCauseInstanceOf(StatusRuntimeException.class);
      MigrationStatus onTarget = awaitPhase(nodeB, "m-lazy-window", Phase.FAILED);
      assertThat(onTarget.getError()).contains("did not all arrive").contains("the pod is lost");
      assertThat(cluster.container("nodeB", pod.id())).as("killed: pages it never got would read as zeroes")
          .isEmpty();
      assertThat(cluster.namespaceExists("nodeB", pod.id())).isFalse();

      slowSource.launch();
      assertThat(cluster.container("nodeS", pod.id())).as("the stale source copy is deleted, never resumed")
          .isEmpty();
      assertThat(cluster.namespaceExists("nodeS", pod.id())).isFalse();
      assertThat(Files.list(workDir.resolve("nodeS/state/outgoing"))).isEmpty();
      assertThatThrownBy(() -> cluster.agent(nodeB).abort(AbortRequest.newBuilder().setMigrationId("m-lazy-window")
          .build())).hasMessageContaining("must not run again").hasMessageContaining("lost");
    }
  }

  private static void awaitRunning(String node, String containerId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (cluster.container(node, containerId).map(ContainerRuntime.ContainerInfo::running).orElse(false)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(containerId + " never ran on " + node);
  }

  /** The scheduler state of each of the container's processes, from /proc/PID/stat. */
  private static List<Character> processStates(String node, String containerId) throws IOException {
    List<Character> states = new ArrayList<>();
    for (long pid : new RuncRuntime(AgentProcess.runcRoot(workDir, node)).processes(containerId)) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      states.add(stat.charAt(stat.lastIndexOf(')') + 2));
    }
    return states;
  }

  private static MigrationStatus awaitPhase(AgentProcess agent, String migrationId, Phase phase)
      throws InterruptedException {
    cluster.awaitPhase(agent, migrationId, phase);
    return cluster.agent(agent).getMigration(GetMigrationRequest.newBuilder().setMigrationId(migrationId).build());
  }

  @Test
  void offersTheStrategiesTheKernelSupportsBestFirst() {
    CapabilitiesResponse capabilities = cluster.agent(nodeA).capabilities(CapabilitiesRequest.getDefaultInstance());

    assertThat(capabilities.getLazyPages()).isEqualTo(criuFeature("uffd-noncoop"));
    assertThat(capabilities.getDirtyTracking()).isEqualTo(criuFeature("mem_dirty_track"));
    List<Strategy> expected = new ArrayList<>();
    if (capabilities.getLazyPages()) {
      expected.add(Strategy.POST_COPY);
    }
    if (capabilities.getDirtyTracking()) {
      expected.add(Strategy.PRE_COPY);
    }
    expected.add(Strategy.STOP_AND_COPY);
    assertThat(capabilities.getStrategiesList()).containsExactlyElementsOf(expected);
  }

  static boolean criuFeature(String feature) {
    return Commands.run(Duration.ofSeconds(10), "/usr/local/sbin/criu", "check", "--feature", feature)
        .exitCode() == 0;
  }

  private static MigrateRequest.Builder request(String id, CounterPod pod, AgentProcess target) {
    return MigrateRequest.newBuilder().setMigrationId(id).setContainerId(pod.id())
        .setTargetAddress(target.address()).setTargetNode(target.node());
  }
}

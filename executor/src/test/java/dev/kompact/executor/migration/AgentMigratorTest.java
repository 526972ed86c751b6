package dev.kompact.executor.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's Migrator against real node agents of an emulated cluster. */
@Tag("criu")
class AgentMigratorTest {
    static final Optional<String> missing = HostTools.liveMigrationMissing();

    @TempDir
    static Path workDir;

    static EmulatedCluster cluster;
    static AgentMigrator migrator;

    @BeforeAll
    static void startAgents() throws Exception {
        if (missing.isPresent()) {
            return;
        }
        cluster = EmulatedCluster.create(workDir);
        AgentProcess a = cluster.startAgent("execA");
        AgentProcess b = cluster.startAgent("execB");
        Map<String, String> addresses = Map.of("execA", a.address(), "execB", b.address(), "gone", "127.0.0.1:1");
        migrator = new AgentMigrator(cluster.controllerTls(), addresses::get, Duration.ofMinutes(2));
    }

    @BeforeEach
    void needsLiveMigration() {
        assumeTrue(missing.isEmpty(), () -> missing.orElseThrow());
    }

    @AfterAll
    static void stopAgents() throws Exception {
        if (migrator != null) {
            migrator.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void movesRunningPodAndReportsTimings() throws Exception {
        CounterPod pod = cluster.startCounterPod("execA", "web", "10.213.0.21/24");
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 5000);

            MigrationResult result = migrator.migrate("exec-m1", pod.id(), "execA", "execB");

            assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.COMMITTED);
            assertThat(result.freeze()).isPositive().isLessThanOrEqualTo(result.total());
            assertThat(result.imageBytes()).isPositive();
            client.awaitMoreExchanges(10, 10_000);
            assertThat(cluster.container("execB", pod.id()))
                    .hasValueSatisfying(c -> assertThat(c.running()).isTrue());
            assertThat(cluster.container("execA", pod.id())).isEmpty();
        }
    }

    @Test
    void reportsRejectedWhenTargetAgentIsUnreachable() throws Exception {
        CounterPod pod = cluster.startCounterPod("execA", "db", "10.213.0.22/24");

        MigrationResult result = migrator.migrate("exec-m2", pod.id(), "execA", "gone");

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.REJECTED);
        assertThat(result.message()).contains("UNAVAILABLE", "unreachable");
        assertThat(cluster.container("execA", pod.id()))
                .hasValueSatisfying(c -> assertThat(c.running()).isTrue());
    }
}

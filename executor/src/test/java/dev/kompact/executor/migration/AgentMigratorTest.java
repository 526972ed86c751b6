package dev.kompact.executor.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.net.Eni;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.testing.TestAgents;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's Migrator against node agents over gRPC and mutual TLS, on the test API server's pods. */
class AgentMigratorTest {

    @TempDir
    Path dir;

    TestCluster cluster;
    TestAgents agents;
    AgentMigrator migrator;
    Pod source;

    @BeforeEach
    void start() throws Exception {
        cluster = new TestCluster(Duration.ofMillis(20));
        agents = new TestAgents(cluster, dir)
                .node("a", Strategy.POST_COPY, Strategy.STOP_AND_COPY)
                .node("b", Strategy.STOP_AND_COPY)
                .node("c");
        migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
        cluster.node("a", "m5.large");
        cluster.node("b", "m5.large");
        source = cluster.liveReplicaPod("shop", "web", "web-a", "a");
    }

    @AfterEach
    void stop() {
        migrator.close();
        agents.close();
        cluster.close();
    }

    @Test
    void movesEveryContainerOfThePodIntoTheTargetPodAndReportsTheFreeze() throws Exception {
        Pod target = parkedTarget("b");

        MigrationResult result = migrator.migrate(migration("m1", "b", target));

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.COMMITTED);
        assertThat(result.freeze()).isPositive();
        assertThat(agents.frozen(source.getMetadata().getUid())).isTrue();
        assertThat(migrator.outcome("m1", "a"))
                .hasValueSatisfying(r -> assertThat(r.outcome()).isEqualTo(MigrationResult.Outcome.COMMITTED));
    }

    @Test
    void namesTheTargetsEniTheAddressWentToInTheSourceAgentsRequest() throws Exception {
        Pod target = parkedTarget("b");

        migrator.migrate(migration("m5", "b", target, Optional.of(new Eni("0a:1b:2c:3d:4e:5f", "10.0.32.0/19"))));
        migrator.migrate(migration("m6", "b", parkedTarget("b", "web-a-target-2"), Optional.empty()));

        assertThat(agents.targetEnis())
                .containsEntry(
                        "m5",
                        NetworkInterface.newBuilder()
                                .setMacAddress("0a:1b:2c:3d:4e:5f")
                                .setSubnetCidr("10.0.32.0/19")
                                .build())
                .as("none where no address moved through the cloud")
                .containsEntry("m6", NetworkInterface.getDefaultInstance());
    }

    @Test
    void reportsARolledBackRestoreWithTheAgentsReason() throws Exception {
        Pod target = parkedTarget("b");
        agents.restoreFails("no space left on device");

        MigrationResult result = migrator.migrate(migration("m2", "b", target));

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.ROLLED_BACK);
        assertThat(result.message()).contains("ABORTED", "no space left on device");
        assertThat(agents.frozen(source.getMetadata().getUid())).isFalse();
    }

    @Test
    void reportsRejectedWhenTheSourceRefusesBeforeRegisteringTheMigration() throws Exception {
        Pod target = parkedTarget("b");
        PodMigration wrongIds = new PodMigration(
                "m3",
                "a",
                "b",
                ref(source),
                ref(target),
                List.of(new PodMigration.Container("app", "not-the-running-one")),
                Optional.empty());

        MigrationResult result = migrator.migrate(wrongIds);

        assertThat(result.outcome()).isEqualTo(MigrationResult.Outcome.REJECTED);
        assertThat(result.message()).contains("INVALID_ARGUMENT");
    }

    @Test
    void knowsNothingOfAMigrationNeverStarted() {
        assertThat(migrator.outcome("never", "a")).isEmpty();
    }

    @Test
    void aSourceAgentThatCannotBeAskedLeavesTheOutcomeInDoubt() {
        AgentMigrator nowhere =
                new AgentMigrator(agents.controllerTls(), node -> Optional.of("127.0.0.1:1"), Duration.ofSeconds(5));

        assertThatThrownBy(() -> nowhere.outcome("m4", "a"))
                .isInstanceOf(MigrationInDoubt.class)
                .hasMessageContaining("cannot say how migration m4 ended", "UNAVAILABLE");
        nowhere.close();
    }

    @Test
    void refusesNodesWithoutAnAgentOrACommonStrategy() {
        assertThat(migrator.refusal("a", "b")).isEmpty();
        assertThat(migrator.refusal("a", "c")).hasValue("the agents of a and c offer no common strategy");
        assertThat(migrator.refusal("a", "gone")).hasValue("node gone runs no ready Kompact agent");
    }

    private Pod parkedTarget(String node) {
        return parkedTarget(node, "web-a-target");
    }

    private Pod parkedTarget(String node, String name) {
        Pod target = cluster.client()
                .pods()
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName(name)
                        .endMetadata()
                        .withSpec(source.getSpec())
                        .editSpec()
                        .withNodeName(node)
                        .withRuntimeClassName("kompact-restore")
                        .endSpec()
                        .build())
                .create();
        return target;
    }

    private PodMigration migration(String id, String targetNode, Pod target) {
        return migration(id, targetNode, target, Optional.empty());
    }

    private PodMigration migration(String id, String targetNode, Pod target, Optional<Eni> targetEni) {
        return new PodMigration(
                id,
                "a",
                targetNode,
                ref(source),
                ref(target),
                List.of(
                        new PodMigration.Container("app", "web-a-app"),
                        new PodMigration.Container("sidecar", "web-a-sidecar")),
                targetEni);
    }

    private static PodMigration.PodRef ref(Pod pod) {
        return new PodMigration.PodRef(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid());
    }
}

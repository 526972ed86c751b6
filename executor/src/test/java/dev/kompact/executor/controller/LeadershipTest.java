package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.ReadOnly;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.LeadershipLost;
import dev.kompact.executor.execution.PlanExecutorSettings;
import dev.kompact.executor.execution.PlanStore;
import dev.kompact.executor.migration.MigrationResult;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.migration.PodMigration;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one leadership check, against the test API server's Lease: every port's every write asks it first. */
class LeadershipTest {
    static final ControllerSettings SETTINGS = new ControllerSettings(
            "default",
            "test",
            "a",
            "default",
            ControllerSettings.LEASE_NAME,
            Duration.ofSeconds(2),
            Duration.ofMillis(1500),
            Duration.ofMillis(200),
            0,
            0,
            PlanExecutorSettings.FAST);

    TestCluster cluster;
    Leadership leadership;

    @BeforeEach
    void aNode() {
        cluster = new TestCluster(Duration.ofMillis(20));
        cluster.node("node-1", "m5.large");
        leadership = new Leadership(cluster.client(), SETTINGS, Clock.systemUTC());
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    void leaseHeldBy(String holder, ZonedDateTime renewed) {
        cluster.client()
                .leases()
                .inNamespace("default")
                .resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName(ControllerSettings.LEASE_NAME)
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity(holder)
                        .withLeaseDurationSeconds(2)
                        .withRenewTime(renewed)
                        .endSpec()
                        .build())
                .createOr(l -> l.update());
    }

    @Test
    void aReplicaWhoseLeaseAnotherTookMakesNoWriteThroughAnyPort() throws Exception {
        leaseHeldBy("b", ZonedDateTime.now());
        // the elector has not noticed yet, as after a pause past the Lease
        leadership.begin();
        List<String> migrations = new ArrayList<>();
        Migrator migrator = new Migrator() {
            @Override
            public Optional<String> refusal(String sourceNode, String targetNode) {
                return Optional.empty();
            }

            @Override
            public MigrationResult migrate(PodMigration migration) {
                migrations.add(migration.migrationId());
                return new MigrationResult(
                        migration.migrationId(),
                        MigrationResult.Outcome.COMMITTED,
                        "test",
                        Duration.ZERO,
                        Duration.ZERO,
                        0,
                        "");
            }

            @Override
            public Optional<MigrationResult> outcome(String migrationId, String sourceNode) {
                return Optional.empty();
            }
        };
        try (InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20))) {
            List<Object> ports = List.of(
                    leadership.guard(ClusterApi.class, new Fabric8ClusterApi(cluster.client())),
                    leadership.guard(PlanStore.class, new Fabric8PlanStore(cluster.client())),
                    leadership.guard(CloudProvider.class, cloud),
                    leadership.guard(Migrator.class, migrator));
            List<RecordedRequest> before = requests();

            List<String> refused = new ArrayList<>();
            for (Object port : ports) {
                for (Method write : writes(port.getClass().getInterfaces()[0])) {
                    assertThatThrownBy(() -> invoke(port, write))
                            .as(write.toString())
                            .isInstanceOf(LeadershipLost.class)
                            .hasMessageContaining("is held by b, not a");
                    refused.add(write.getDeclaringClass().getSimpleName() + "." + write.getName());
                }
            }

            assertThat(refused)
                    .contains(
                            "ClusterApi.addTaint",
                            "ClusterApi.evict",
                            "ClusterApi.deleteNode",
                            "ClusterApi.recordEvent",
                            "ClusterApi.createPod",
                            "ClusterApi.annotatePod",
                            "ClusterApi.adoptPod",
                            "ClusterApi.setPodCondition",
                            "ClusterApi.deletePod",
                            "PlanStore.create",
                            "PlanStore.updateStatus",
                            "CloudProvider.launch",
                            "CloudProvider.terminate",
                            "Migrator.migrate");
            assertThat(before).isNotEmpty();
            assertThat(requests())
                    .as("what reached the API server: only reads of the Lease")
                    .allSatisfy(r -> assertThat(r.getMethod()).isEqualTo("GET"));
            assertThat(cloud.launchedCount()).isZero();
            assertThat(cloud.terminated()).isEmpty();
            assertThat(migrations).isEmpty();
        }
    }

    @Test
    void readsNeedNoLease() {
        leaseHeldBy("b", ZonedDateTime.now());
        ClusterApi guarded = leadership.guard(ClusterApi.class, new Fabric8ClusterApi(cluster.client()));

        assertThat(guarded.node("node-1")).isPresent();
    }

    @Test
    void actsWhileTheLeaseNamesItAndWasRenewedWithinItsDuration() {
        leaseHeldBy("a", ZonedDateTime.now());
        leadership.begin();
        ClusterApi guarded = leadership.guard(ClusterApi.class, new Fabric8ClusterApi(cluster.client()));

        guarded.addTaint("node-1", taint());

        assertThat(guarded.node("node-1").orElseThrow().getSpec().getTaints())
                .extracting(t -> t.getKey())
                .contains("test/taint");
    }

    @Test
    void aLeaseNotRenewedWithinItsDurationCountsAsLost() {
        // a's last renewal is 3 s old, the Lease lasts 2 s: another replica may hold it by now
        leaseHeldBy("a", ZonedDateTime.now().minusSeconds(3));
        leadership.begin();
        ClusterApi guarded = leadership.guard(ClusterApi.class, new Fabric8ClusterApi(cluster.client()));

        assertThatThrownBy(() -> guarded.addTaint("node-1", taint()))
                .isInstanceOf(LeadershipLost.class)
                .hasMessageContaining("a last renewed the Lease at")
                .hasMessageEndingWith("not ClusterApi.addTaint(node-1, Taint)");
        assertThat(guarded.node("node-1").orElseThrow().getSpec().getTaints()).isNullOrEmpty();
    }

    @Test
    void aLeadershipTheElectorEndedActsNoMoreThoughTheLeaseStillNamesIt() {
        leaseHeldBy("a", ZonedDateTime.now());
        Leadership.Term term = leadership.begin();
        leadership.end();

        assertThat(term.isCurrent()).isFalse();
        assertThatThrownBy(() -> leadership.check("tainting"))
                .isInstanceOf(LeadershipLost.class)
                .hasMessage("a does not lead: not tainting");
    }

    @Test
    void aLeaseThatCannotBeReadCountsAsLost() {
        try (KubernetesClient unreachable = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
            Leadership cut = new Leadership(unreachable, SETTINGS, Clock.systemUTC());
            cut.begin();

            assertThatThrownBy(() -> cut.check("tainting"))
                    .isInstanceOf(LeadershipLost.class)
                    .hasMessageStartingWith("cannot read the Lease default/kompact-controller");
        }
    }

    @Test
    void aLeadershipThatBeganAgainEndsTheThreadsOfTheOneBefore() {
        Leadership.Term first = leadership.begin();
        Leadership.Term second = leadership.begin();

        assertThat(first.isCurrent()).isFalse();
        assertThat(second.isCurrent()).isTrue();
    }

    /** Every method of the port that is not marked as only a read: writes, including ones added after this test. */
    static List<Method> writes(Class<?> port) {
        return Arrays.stream(port.getMethods())
                .filter(m -> !m.isAnnotationPresent(ReadOnly.class) && !m.isDefault())
                .toList();
    }

    /** With placeholder arguments: the check comes before the port's implementation looks at them. */
    static void invoke(Object port, Method method) throws Throwable {
        Object[] args = Arrays.stream(method.getParameterTypes())
                .map(LeadershipTest::placeholder)
                .toArray();
        try {
            method.invoke(port, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object placeholder(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == String.class) {
            return "x";
        }
        return type.isPrimitive() ? 0 : null;
    }

    List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest r = cluster.server().takeRequest(50, TimeUnit.MILLISECONDS);
                r != null;
                r = cluster.server().takeRequest(50, TimeUnit.MILLISECONDS)) {
            requests.add(r);
        }
        return requests;
    }

    static io.fabric8.kubernetes.api.model.Taint taint() {
        return new TaintBuilder().withKey("test/taint").withEffect("NoSchedule").build();
    }
}

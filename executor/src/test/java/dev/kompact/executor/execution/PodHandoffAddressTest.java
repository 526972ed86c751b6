package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.net.Eni;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.cloud.AddressRefusedException;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestAgents;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handoff on a pod network whose addresses the cloud routes (the AWS VPC CNI), as {@link PodHandoffTest} runs it
 * (the test API server, a ReplicaSet controller and kubelet on it, node agents over gRPC and mutual TLS), with a cloud
 * that records where it routes each address and what had happened when it was asked.
 */
class PodHandoffAddressTest {

    static final String ADDRESS = "10.0.1.23";
    static final Eni ENI = new Eni("0a:1b:2c:3d:4e:5f", "10.0.1.0/24");
    static final String ORIGIN = "eni-a0";

    @TempDir
    Path dir;

    TestCluster cluster;
    InMemoryCloud cloud;
    Fabric8ClusterApi api;
    TestAgents agents;
    AgentMigrator migrator;
    RoutedAddresses addresses;
    String oldInstance;
    String keepInstance;

    @BeforeEach
    void start() throws Exception {
        cluster = new TestCluster(Duration.ofMillis(20));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        api = new Fabric8ClusterApi(cluster.client());
        agents = new TestAgents(cluster, dir).node("old-1", Strategy.POST_COPY).node("keep-1", Strategy.POST_COPY);
        migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
        oldInstance = instance(cluster.node("old-1", "m5.2xlarge"));
        keepInstance = instance(cluster.node("keep-1", "m5.2xlarge"));
        addresses = new RoutedAddresses();
        addresses.instanceOf.put(ADDRESS, oldInstance);
        cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        cluster.client().pods().inNamespace("shop").withName("web-a").editStatus(p -> {
            p.getStatus().setPodIP(ADDRESS);
            return p;
        });
        Plans.create(
                cluster.client(),
                "live",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.live("shop/web-a", "old-1", "keep-1"))),
                1,
                1);
    }

    @AfterEach
    void stop() {
        migrator.close();
        agents.close();
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void routesTheAddressToTheTargetNodeBeforeTheFreeze() throws Exception {
        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.targetEniMac).isEqualTo(ENI.mac());
        assertThat(move.targetEniSubnet).isEqualTo(ENI.subnetCidr());
        assertThat(move.podAddressOrigin).isEqualTo(ORIGIN);
        assertThat(agents.targetEnis())
                .as("the ENI the cloud chose, named to the agents")
                .containsExactly(Map.entry(
                        move.migrationId,
                        NetworkInterface.newBuilder()
                                .setMacAddress(ENI.mac())
                                .setSubnetCidr(ENI.subnetCidr())
                                .build()));
        assertThat(addresses.calls)
                .containsExactly("move " + ADDRESS + " " + oldInstance + " -> " + keepInstance
                        + " (0 migrations started, target pod exists)");
        assertThat(addresses.instanceOf).containsEntry(ADDRESS, keepInstance);
        assertThat(agents.migrationsStarted()).isEqualTo(1);
        assertThat(cluster.podsOf("shop", "web"))
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("keep-1"));
        assertThat(cluster.evictions().requests()).as("evictions").isZero();
    }

    @Test
    void routesTheAddressBackBeforeDeletingTheTargetWhenTheRestoreFails() throws Exception {
        agents.restoreFails("criu restore: cannot map pages");

        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.message)
                .contains(
                        "rolled_back",
                        "cannot map pages",
                        "address " + ADDRESS + " routed back to old-1",
                        "evicting instead");
        assertThat(move.podAddress).isNull();
        assertThat(move.targetEniMac).isNull();
        assertThat(move.targetEniSubnet).isNull();
        assertThat(move.podAddressOrigin).isNull();
        assertThat(agents.targetEnis().values())
                .containsExactly(NetworkInterface.newBuilder()
                        .setMacAddress(ENI.mac())
                        .setSubnetCidr(ENI.subnetCidr())
                        .build());
        assertThat(addresses.calls)
                .containsExactly(
                        "move " + ADDRESS + " " + oldInstance + " -> " + keepInstance
                                + " (0 migrations started, target pod exists)",
                        "back " + ADDRESS + " " + keepInstance + " -> " + oldInstance + " onto " + ORIGIN
                                + " (1 migrations started, target pod exists)");
        assertThat(addresses.instanceOf).containsEntry(ADDRESS, oldInstance);
        assertThat(cluster.evictions().requests()).isEqualTo(1);
        assertThat(cluster.podsOf("shop", "web"))
                .singleElement()
                .satisfies(p -> assertThat(p.getSpec().getNodeName()).isEqualTo("keep-1"))
                .matches(Pods::isReady);
    }

    @Test
    void evictsWithoutFreezingWhenTheCloudRefusesTheAddress() throws Exception {
        addresses.refusal = "no free slot for " + ADDRESS + " on " + keepInstance;

        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.message)
                .contains("the pod's address cannot move: no free slot for " + ADDRESS, "evicting instead")
                .doesNotContain("routed back");
        assertThat(addresses.calls)
                .as("no move back: a refusal changed nothing")
                .hasSize(1);
        assertThat(addresses.instanceOf).containsEntry(ADDRESS, oldInstance);
        assertThat(agents.migrationsStarted()).isZero();
        assertThat(cluster.client()
                        .pods()
                        .inNamespace("shop")
                        .withName(move.targetPod)
                        .get())
                .as("the target pod")
                .isNull();
        assertThat(cluster.evictions().requests()).isEqualTo(1);
    }

    @Test
    void stopsThePlanWhenTheAddressCannotGoBack() throws Exception {
        agents.restoreFails("criu restore: cannot map pages");
        addresses.backRefusal = "no free slot for " + ADDRESS + " on " + oldInstance;

        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).isEqualTo(PlanPhase.Failed);
        assertThat(done.getStatus().reason).isEqualTo(StopReasons.MIGRATION_FAILED);
        assertThat(done.getStatus().message)
                .contains("runs on old-1 again", "cannot be routed back", "no free slot for " + ADDRESS);
        assertThat(cluster.evictions().requests()).isZero();
        assertThat(cloud.terminated()).isEmpty();
    }

    private RebalancePlanResource run() throws InterruptedException {
        return new PlanExecutor(
                        api,
                        cloud,
                        Optional.of(migrator),
                        Optional.of(addresses),
                        new Fabric8PlanStore(cluster.client()),
                        CatalogSource.bundled(),
                        PlanExecutorSettings.FAST,
                        ExecutionListener.NONE,
                        Clock.systemUTC())
                .run("live", () -> true);
    }

    private static String instance(Node node) {
        return ProviderId.parse(node.getSpec().getProviderID()).orElseThrow().instanceId();
    }

    /** Where each address is routed; each call noted with how far the migration had got. */
    final class RoutedAddresses implements PodAddresses {
        final Map<String, String> instanceOf = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile String refusal;
        volatile String backRefusal;

        @Override
        public Moved move(String address, String sourceInstance, String targetInstance) {
            note("move " + address + " " + sourceInstance + " -> " + targetInstance);
            if (refusal != null) {
                throw new AddressRefusedException(refusal);
            }
            instanceOf.put(address, targetInstance);
            return new Moved(ENI, Optional.of(ORIGIN));
        }

        @Override
        public void moveBack(String address, String sourceInstance, String targetInstance, Optional<String> origin) {
            note("back " + address + " " + targetInstance + " -> " + sourceInstance
                    + origin.map(o -> " onto " + o).orElse(""));
            if (backRefusal != null) {
                throw new AddressRefusedException(backRefusal);
            }
            instanceOf.put(address, sourceInstance);
        }

        private void note(String call) {
            boolean target = cluster.client().pods().inNamespace("shop").list().getItems().stream()
                    .anyMatch(p -> TargetPods.isTargetOf(
                            p,
                            cluster.client()
                                    .pods()
                                    .inNamespace("shop")
                                    .withName("web-a")
                                    .get()
                                    .getMetadata()
                                    .getUid()));
            calls.add(call + " (" + agents.migrationsStarted() + " migrations started, target pod "
                    + (target ? "exists" : "gone") + ")");
        }
    }
}

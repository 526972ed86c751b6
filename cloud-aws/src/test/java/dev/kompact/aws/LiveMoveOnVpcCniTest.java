package dev.kompact.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.execution.ExecutionListener;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.executor.execution.PlanExecutorSettings;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live move on the AWS VPC CNI through the executor's handoff (the test API server with a ReplicaSet controller and
 * kubelet, node agents over gRPC and mutual TLS), its address moved by {@link Ec2PodAddresses} over HTTP against
 * EC2's network interfaces kept as state ({@link LocalEnis}). Node old-1's ENI holds the pod's address; keep-1 has
 * an ENI the VPC CNI manages and, unless a test says otherwise, one tagged no_manage.
 */
class LiveMoveOnVpcCniTest {

    static final String POD = "10.0.1.23";

    @TempDir
    Path dir;

    final LocalEnis enis = new LocalEnis();
    final LocalAws ec2 = new LocalAws(enis);
    TestCluster cluster;
    InMemoryCloud cloud;
    Fabric8ClusterApi api;
    TestAgents agents;
    AgentMigrator migrator;
    Ec2PodAddresses addresses;
    String oldInstance;
    String keepInstance;

    @BeforeEach
    void start() throws Exception {
        enis.serve(ec2);
        cluster = new TestCluster(Duration.ofMillis(20));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        api = new Fabric8ClusterApi(cluster.client());
        agents = new TestAgents(cluster, dir).node("old-1", Strategy.POST_COPY).node("keep-1", Strategy.POST_COPY);
        migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
        addresses = new Ec2PodAddresses(ec2.aws());
        oldInstance = instance(cluster.node("old-1", "m5.2xlarge"));
        keepInstance = instance(cluster.node("keep-1", "m5.2xlarge"));
        enis.eni("eni-a0", oldInstance, "10.0.1.", false, 10, "10.0.1.10", POD)
                .eni("eni-b0", keepInstance, "10.0.1.", false, 10, "10.0.1.20");
        cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
        cluster.client().pods().inNamespace("shop").withName("web-a").editStatus(p -> {
            p.getStatus().setPodIP(POD);
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
        addresses.close();
        migrator.close();
        agents.close();
        api.close();
        cloud.close();
        cluster.close();
        ec2.close();
    }

    @Test
    void movesThePodLiveWithItsAddressOnTheTargetsUnmanagedEni() throws Exception {
        enis.eni("eni-b1", keepInstance, "10.0.1.", true, 10, "10.0.1.30");

        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("move-1").orElseThrow().message).contains("migrated live");
        assertThat(enis.holder(POD)).contains("eni-b1");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).hasSize(1);
        assertThat(agents.targetEnis().values())
                .as("eni-b1, named to the agents as EC2 describes it")
                .containsExactly(NetworkInterface.newBuilder()
                        .setMacAddress("02:00:00:00:00:b1")
                        .setSubnetCidr("10.0.1.0/24")
                        .build());
        assertThat(cluster.evictions().requests()).as("evictions").isZero();
    }

    @Test
    void movesTheAddressBackOverEc2OntoTheEniItCameFromWhenTheRestoreFails() throws Exception {
        enis.eni("eni-b1", keepInstance, "10.0.1.", true, 10, "10.0.1.30")
                .eni("eni-a1", oldInstance, "10.0.1.", true, 10, "10.0.1.11");
        agents.restoreFails("criu restore: cannot map pages");

        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(done.getStatus().step("move-1").orElseThrow().message)
                .contains("rolled_back", "address " + POD + " routed back to old-1", "evicting instead");
        // not old-1's unmanaged eni-a1: the source pod's routes send its replies through the ENI it came from
        assertThat(enis.holder(POD)).contains("eni-a0");
        assertThat(ec2.calls("AssignPrivateIpAddresses"))
                .extracting(call -> call.get("NetworkInterfaceId"))
                .containsExactly("eni-b1", "eni-a0");
        assertThat(cluster.evictions().requests()).isEqualTo(1);
    }

    @Test
    void evictsWithoutFreezingWhenTheTargetHasOnlyEnisTheVpcCniManages() throws Exception {
        RebalancePlanResource done = run();

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        StepStatus move = done.getStatus().step("move-1").orElseThrow();
        assertThat(move.message)
                .contains("the pod's address cannot move", keepInstance, "no_manage=true", "evicting instead");
        assertThat(enis.holder(POD)).contains("eni-a0");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
        assertThat(agents.migrationsStarted()).isZero();
        assertThat(cluster.evictions().requests()).isEqualTo(1);
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
}

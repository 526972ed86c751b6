package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kompact.agent.net.Eni;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cloud.ProviderId;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.testing.Crashes;
import dev.kompact.executor.testing.CrashingPorts;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestAgents;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PodHandoffCrashTest}'s kills at every write, on a pod network whose addresses the cloud routes, the address
 * moves counted among the writes: after a restart the pod's address ends where its processes run, on the target
 * node when the move committed and back on the source when the restore failed, and the one migration started names
 * the target's ENI the address went to, whether the restarted controller moved it or read it from the journal. A
 * failed restore returns the address onto the source's interface it came from, unless the crash fell between the move
 * and its journal write, when no one knows which that was.
 */
class PodHandoffAddressCrashTest {

    static final String ADDRESS = "10.0.1.23";
    static final Eni ENI = new Eni("0a:1b:2c:3d:4e:5f", "10.0.1.0/24");
    static final String ORIGIN = "eni-a0";
    static final String MOVE = "move " + ADDRESS;

    @TempDir
    static Path dir;

    static TestAgents.Identities identities;

    @BeforeAll
    static void certificates() throws Exception {
        identities = TestAgents.Identities.create(dir);
    }

    @TestFactory
    Stream<DynamicTest> theAddressEndsOnTheTargetAfterACrashAtEveryWrite() throws Exception {
        return atEveryWrite(false);
    }

    @TestFactory
    Stream<DynamicTest> theAddressEndsBackOnTheSourceAfterACrashAtEveryWriteOfAFailedRestore() throws Exception {
        return atEveryWrite(true);
    }

    private static Stream<DynamicTest> atEveryWrite(boolean restoreFails) throws Exception {
        int writes;
        List<String> names;
        try (Scenario clean = new Scenario(restoreFails)) {
            Crashes counting = Crashes.never();
            assertThat(clean.run(counting).getStatus().phase).isEqualTo(PlanPhase.Succeeded);
            writes = counting.count();
            names = counting.writes();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int n = 1; n <= writes; n++) {
            for (Crashes.When when : Crashes.When.values()) {
                int at = n;
                // the address moved, and the journal write that names its origin was lost
                boolean originLost = when == Crashes.When.AFTER
                        ? names.get(n - 1).equals(MOVE)
                        : n >= 2 && names.get(n - 2).equals(MOVE);
                tests.add(dynamicTest("crash " + when.name().toLowerCase() + " write " + n + " of " + writes, () -> {
                    try (Scenario scenario = new Scenario(restoreFails)) {
                        assertThatThrownBy(() -> scenario.run(new Crashes(at, when)))
                                .isInstanceOf(Crashes.SimulatedCrash.class);
                        RebalancePlanResource done = scenario.run(Crashes.never());
                        assertThat(done.getStatus().phase)
                                .as(done.getStatus().message)
                                .isEqualTo(PlanPhase.Succeeded);
                        assertThat(scenario.agents.violations()).isEmpty();
                        assertThat(scenario.routedTo.get())
                                .as("where the address is routed")
                                .isEqualTo(restoreFails ? scenario.oldInstance : scenario.keepInstance);
                        assertThat(scenario.agents.targetEnis().values())
                                .as("the target ENI each migration started named")
                                .containsExactly(NetworkInterface.newBuilder()
                                        .setMacAddress(ENI.mac())
                                        .setSubnetCidr(ENI.subnetCidr())
                                        .build());
                        if (restoreFails) {
                            assertThat(scenario.returnedOnto.get())
                                    .as("the interface the address was returned onto")
                                    .isEqualTo(originLost ? "" : ORIGIN);
                        }
                        assertThat(scenario.cluster.evictions().requests())
                                .as("evictions")
                                .isEqualTo(restoreFails ? 1 : 0);
                    }
                }));
            }
        }
        return tests.stream();
    }

    static final class Scenario implements AutoCloseable {
        final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
        final InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        final TestAgents agents;
        final AgentMigrator migrator;
        final String oldInstance;
        final String keepInstance;
        final AtomicReference<String> routedTo = new AtomicReference<>();
        /** The origin the last move back was given; empty when unknown. */
        final AtomicReference<String> returnedOnto = new AtomicReference<>();

        final List<Fabric8ClusterApi> apis = new ArrayList<>();

        /** Where the one address is routed; as EC2, a move finding it on the target already cannot say its origin. */
        final PodAddresses addresses = new PodAddresses() {
            @Override
            public Moved move(String address, String sourceInstance, String targetInstance) {
                boolean there = routedTo.get().equals(targetInstance);
                place(address, sourceInstance, targetInstance);
                return new Moved(ENI, there ? Optional.empty() : Optional.of(ORIGIN));
            }

            @Override
            public void moveBack(
                    String address, String sourceInstance, String targetInstance, Optional<String> origin) {
                place(address, targetInstance, sourceInstance);
                returnedOnto.set(origin.orElse(""));
            }

            private void place(String address, String from, String to) {
                assertThat(address).isEqualTo(ADDRESS);
                routedTo.set(to);
            }
        };

        Scenario(boolean restoreFails) throws Exception {
            agents = new TestAgents(cluster, identities)
                    .node("old-1", Strategy.POST_COPY)
                    .node("keep-1", Strategy.POST_COPY);
            if (restoreFails) {
                agents.restoreFails("criu restore failed");
            }
            migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
            oldInstance = instance(cluster.node("old-1", "m5.2xlarge"));
            keepInstance = instance(cluster.node("keep-1", "m5.2xlarge"));
            routedTo.set(oldInstance);
            cluster.liveReplicaPod("shop", "web", "web-a", "old-1");
            cluster.client().pods().inNamespace("shop").withName("web-a").editStatus(p -> {
                p.getStatus().setPodIP(ADDRESS);
                return p;
            });
            Plans.create(
                    cluster.client(),
                    "p",
                    Plans.plan(List.of(), List.of("old-1"), List.of(Plans.live("shop/web-a", "old-1", "keep-1"))),
                    1,
                    1);
        }

        RebalancePlanResource run(Crashes crashes) throws InterruptedException {
            Fabric8ClusterApi fabric8 = new Fabric8ClusterApi(cluster.client());
            apis.add(fabric8);
            return new PlanExecutor(
                            CrashingPorts.cluster(fabric8, crashes),
                            CrashingPorts.cloud(cloud, crashes),
                            Optional.of(CrashingPorts.migrator(migrator, crashes)),
                            Optional.of(CrashingPorts.addresses(addresses, crashes)),
                            CrashingPorts.store(new Fabric8PlanStore(cluster.client()), crashes),
                            CatalogSource.bundled(),
                            PlanExecutorSettings.FAST,
                            ExecutionListener.NONE,
                            Clock.systemUTC())
                    .run("p", () -> true);
        }

        private static String instance(Node node) {
            return ProviderId.parse(node.getSpec().getProviderID())
                    .orElseThrow()
                    .instanceId();
        }

        @Override
        public void close() {
            apis.forEach(Fabric8ClusterApi::close);
            migrator.close();
            agents.close();
            cloud.close();
            cluster.close();
        }
    }
}

package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.testing.Crashes;
import dev.kompact.executor.testing.CrashingPorts;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Invariants;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Kills the executor at every write of a multi-wave plan (provision; then two batches of one node each: taint,
 * move, drain, terminate), once just before the write and once just after it, starts a fresh executor from the
 * persisted journal, and checks the plan finishes with every invariant intact.
 */
class PlanExecutorCrashTest {

    @TestFactory
    Stream<DynamicTest> resumesAfterCrashAtEveryWrite() throws Exception {
        int writes;
        try (Scenario clean = new Scenario()) {
            Crashes counting = Crashes.never();
            assertThat(clean.run(counting).getStatus().phase).isEqualTo(PlanPhase.Succeeded);
            writes = counting.count();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int n = 1; n <= writes; n++) {
            for (Crashes.When when : Crashes.When.values()) {
                int at = n;
                tests.add(dynamicTest(
                        "crash " + when.name().toLowerCase() + " write " + n + " of " + writes,
                        () -> resumesAfterCrash(at, when)));
            }
        }
        return tests.stream();
    }

    private static void resumesAfterCrash(int at, Crashes.When when) throws Exception {
        try (Scenario scenario = new Scenario()) {
            assertThatThrownBy(() -> scenario.run(new Crashes(at, when))).isInstanceOf(Crashes.SimulatedCrash.class);

            RebalancePlanResource done = scenario.run(Crashes.never());

            assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
            assertThat(scenario.cloud.violations()).isEmpty();
            assertThat(scenario.invariants.violations()).isEmpty();
            assertThat(scenario.cloud.launchedCount()).as("instances launched").isEqualTo(1);
            assertThat(scenario.cloud.terminated()).hasSize(2);
            assertThat(scenario.cluster.client().nodes().list().getItems())
                    .extracting(n -> n.getMetadata().getName())
                    .containsExactly("ip-10-9-0-1.ec2.internal");
            assertThat(scenario.cluster.podsOf("shop", "web")).hasSize(2).allMatch(Pods::isReady);
        }
    }

    /** Two old nodes, one pod each (and a DaemonSet pod each); the plan buys one node and removes both. */
    private static final class Scenario implements AutoCloseable {
        final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
        final InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        final Invariants invariants = Invariants.watch(cluster, 1);
        final List<Fabric8ClusterApi> apis = new ArrayList<>();

        Scenario() throws Exception {
            cluster.node("old-1", "m5.2xlarge");
            cluster.node("old-2", "m5.2xlarge");
            cluster.daemonSetPod("proxy-1", "old-1");
            cluster.daemonSetPod("proxy-2", "old-2");
            cluster.replicaPod("shop", "web", "web-a", "old-1");
            cluster.replicaPod("shop", "web", "web-b", "old-2");
            Plans.create(
                    cluster.client(),
                    "p",
                    Plans.plan(
                            List.of(Plans.added("new-1")),
                            List.of("old-1", "old-2"),
                            List.of(
                                    Plans.restart("shop/web-a", "old-1", "new-1"),
                                    Plans.restart("shop/web-b", "old-2", "new-1"))),
                    1,
                    1);
        }

        RebalancePlanResource run(Crashes crashes) throws InterruptedException {
            Fabric8ClusterApi fabric8 = new Fabric8ClusterApi(cluster.client());
            apis.add(fabric8);
            ClusterApi api = CrashingPorts.cluster(fabric8, crashes);
            return new PlanExecutor(
                            api,
                            CrashingPorts.cloud(cloud, crashes),
                            Optional.empty(),
                            CrashingPorts.store(new Fabric8PlanStore(cluster.client()), crashes),
                            CatalogSource.bundled(),
                            PlanExecutorSettings.FAST,
                            ExecutionListener.NONE,
                            Clock.systemUTC())
                    .run("p", () -> true);
        }

        @Override
        public void close() {
            apis.forEach(Fabric8ClusterApi::close);
            cloud.close();
            cluster.close();
        }
    }
}

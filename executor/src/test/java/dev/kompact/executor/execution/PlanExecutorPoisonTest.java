package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A step whose every look throws fails its plan once the errors outlast {@code stepErrorGiveUp} (1 s here), and the
 * plan's nodes go back into service; before, the executor retried forever with the nodes tainted.
 */
@Timeout(60)
class PlanExecutorPoisonTest {

    TestCluster cluster;
    InMemoryCloud cloud;
    Fabric8ClusterApi api;

    @BeforeEach
    void oneNodeToEmpty() {
        cluster = new TestCluster(Duration.ofMillis(30));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(50));
        api = new Fabric8ClusterApi(cluster.client());
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
    }

    @AfterEach
    void stopCluster() {
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void noCapacityAnywhereFailsThePlan() throws Exception {
        Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1"),
                        List.of(Plans.restart("shop/web-a", "old-1", "new-1"))),
                1,
                1);
        RebalancePlanResource created = cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("p1")
                .get();
        created.getSpec().waves.get(0).steps.forEach(s -> {
            cloud.noCapacityFor(new Offering(s.instanceType, s.zone));
            if (s.alternatives != null) {
                s.alternatives.forEach(a -> cloud.noCapacityFor(new Offering(a.instanceType, a.zone)));
            }
        });

        assertFailedAndReleased(executor(cloud, Optional.empty()).run("p1", () -> true), "no capacity");
    }

    @Test
    void unauthorizedLaunchFailsThePlan() throws Exception {
        Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(
                        List.of(Plans.added("new-1")),
                        List.of("old-1"),
                        List.of(Plans.restart("shop/web-a", "old-1", "new-1"))),
                1,
                1);

        assertFailedAndReleased(
                executor(refusing(cloud, true), Optional.empty()).run("p1", () -> true), "UnauthorizedOperation");
    }

    @Test
    void terminationOfAForeignInstanceRefusedFailsThePlan() throws Exception {
        Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);

        RebalancePlanResource done =
                executor(refusing(cloud, false), Optional.empty()).run("p1", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Failed);
        assertThat(done.getStatus().reason).isEqualTo(StopReasons.STEP_ERROR);
        assertThat(done.getStatus().message).contains("not tagged");
        assertThat(cloud.terminated()).isEmpty();
    }

    @Test
    void evictionAnswered500FailsThePlan() throws Exception {
        cluster.evictions().failWith(500);
        Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);

        assertFailedAndReleased(executor(cloud, Optional.empty()).run("p1", () -> true), "500");
    }

    @Test
    void evictionAnswered403FailsThePlan() throws Exception {
        cluster.evictions().failWith(403);
        Plans.create(
                cluster.client(),
                "p1",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);

        assertFailedAndReleased(executor(cloud, Optional.empty()).run("p1", () -> true), "403");
    }

    private void assertFailedAndReleased(RebalancePlanResource done, String cause) {
        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Failed);
        assertThat(done.getStatus().reason).isEqualTo(StopReasons.STEP_ERROR);
        assertThat(done.getStatus().message).contains(cause);
        assertThat(Nodes.hasTaint(cluster.client().nodes().withName("old-1").get(), KompactApi.DISRUPTED_TAINT))
                .isFalse();
    }

    /** EC2's answers to a role without the permission, or to an instance Kompact did not launch. */
    private static CloudProvider refusing(CloudProvider cloud, boolean launch) {
        return new CloudProvider() {
            @Override
            public LaunchedInstance launch(LaunchRequest request) {
                if (launch) {
                    throw new IllegalStateException(
                            "UnauthorizedOperation: You are not authorized to perform this" + " operation.");
                }
                return cloud.launch(request);
            }

            @Override
            public void checkTerminable(String instanceId) {
                if (!launch) {
                    throw new IllegalStateException("instance " + instanceId
                            + " is not tagged kompact.dev/cluster=test: Kompact did not launch it and does not terminate"
                            + " it");
                }
            }

            @Override
            public void terminate(String instanceId) {
                cloud.terminate(instanceId);
            }
        };
    }

    private PlanExecutor executor(CloudProvider provider, Optional<Migrator> migrator) {
        return new PlanExecutor(
                api,
                provider,
                migrator,
                new Fabric8PlanStore(cluster.client()),
                CatalogSource.bundled(),
                PlanExecutorSettings.FAST,
                ExecutionListener.NONE,
                Clock.systemUTC());
    }
}

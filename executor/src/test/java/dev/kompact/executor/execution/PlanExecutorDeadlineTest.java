package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.v1.Strategy;
import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.migration.AgentMigrator;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestAgents;
import dev.kompact.executor.testing.TestCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An evacuation whose deadline is nearer than moves one at a time would take: every pod is evicted at once, and a
 * live move is evicted rather than migrated, so that the warned node is empty before it goes.
 */
class PlanExecutorDeadlineTest {

    // a replacement takes 3 s to become Ready: three moves one after another would empty the node after some 6 s
    private final TestCluster cluster = new TestCluster(Duration.ofSeconds(3));
    private final InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
    private final Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.client());

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void evictsEveryPodAtOnceWhenTheDeadlineIsTooNearToMoveThemOneByOne() throws Exception {
        cluster.node("warned", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        for (String pod : List.of("web-a", "web-b", "web-c")) {
            cluster.replicaPod("shop", "web", pod, "warned");
        }
        Plans.create(
                cluster.client(),
                "evacuate",
                Plans.plan(
                        List.of(),
                        List.of("warned"),
                        List.of(
                                Plans.live("shop/web-a", "warned", "keep-1"),
                                Plans.restart("shop/web-b", "warned", "keep-1"),
                                Plans.restart("shop/web-c", "warned", "keep-1"))),
                1,
                1);
        Instant deadline = Instant.now().plusSeconds(4);
        cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("evacuate")
                .edit(p -> {
                    p.getSpec().evacuatedNode = "warned";
                    p.getSpec().deadline = deadline.toString();
                    return p;
                });
        TestAgents agents =
                new TestAgents(cluster, dir).node("warned", Strategy.POST_COPY).node("keep-1", Strategy.POST_COPY);
        AgentMigrator migrator = new AgentMigrator(agents.controllerTls(), agents, Duration.ofSeconds(30));
        Instant[] emptied = {null};

        RebalancePlanResource done = new PlanExecutor(
                        api,
                        cloud,
                        Optional.of(migrator),
                        new Fabric8PlanStore(cluster.client()),
                        CatalogSource.bundled(),
                        PlanExecutorSettings.FAST,
                        ExecutionListener.NONE,
                        Clock.systemUTC())
                .run("evacuate", () -> {
                    if (emptied[0] == null && api.podsOn("warned").isEmpty()) {
                        emptied[0] = Instant.now();
                    }
                    return true;
                });

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(emptied[0]).as("the warned node emptied before its deadline").isBefore(deadline);
        assertThat(agents.migrationsStarted()).isZero();
        migrator.close();
        agents.close();
        assertThat(done.getStatus().step("move-1").orElseThrow().message).contains("evicting instead");
    }
}

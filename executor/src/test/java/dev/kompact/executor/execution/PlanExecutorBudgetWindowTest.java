package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.DisruptionBudget;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepState;
import dev.kompact.executor.crd.StepStatus;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.SettableClock;
import dev.kompact.executor.testing.TestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A plan made while a scheduled budget allowed it meets the budget's next window while it runs. */
class PlanExecutorBudgetWindowTest {

    // no disruption during office hours (09:00 to 17:00 UTC), one node at a time otherwise
    private static final Instant BEFORE_OFFICE_HOURS = Instant.parse("2030-01-07T08:59:00Z");
    private static final Instant OFFICE_HOURS = Instant.parse("2030-01-07T09:00:00Z");
    private static final Instant EVENING = Instant.parse("2030-01-07T17:30:00Z");

    private final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
    private final InMemoryCloud cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
    private final Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.client());
    private final SettableClock clock = new SettableClock(BEFORE_OFFICE_HOURS);

    @AfterEach
    void stop() {
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void pausesWhenTheBudgetsWindowClosesAndGoesOnWhenItOpens() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        Plans.create(
                cluster.client(),
                "p",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);
        DisruptionBudget officeHours = new DisruptionBudget();
        officeHours.nodes = "0";
        officeHours.schedule = "0 9 * * *";
        officeHours.duration = "8h";
        DisruptionBudget always = new DisruptionBudget();
        always.nodes = "1";
        cluster.client().resources(RebalancePlanResource.class).withName("p").edit(p -> {
            p.getSpec().disruptionBudgets = List.of(officeHours, always);
            return p;
        });
        boolean[] pausedWhileOnOld1 = {false};
        int[] pausedLooks = {0};
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();

        RebalancePlanResource done = new PlanExecutor(
                        api,
                        cloud,
                        Optional.empty(),
                        new Fabric8PlanStore(cluster.client()),
                        CatalogSource.bundled(),
                        PlanExecutorSettings.FAST,
                        ExecutionListener.NONE,
                        clock)
                .run("p", () -> {
                    StepStatus taint = step("taint-1");
                    StepStatus move = step("move-1");
                    if (clock.instant().equals(BEFORE_OFFICE_HOURS) && taint.state == StepState.Succeeded) {
                        clock.set(OFFICE_HOURS);
                    } else if (clock.instant().equals(OFFICE_HOURS)
                            && move.message != null
                            && move.message.startsWith("paused")
                            && ++pausedLooks[0] >= 20) {
                        pausedWhileOnOld1[0] = move.state == StepState.Pending
                                && "old-1"
                                        .equals(cluster.client()
                                                .pods()
                                                .inNamespace("shop")
                                                .withName("web-a")
                                                .get()
                                                .getSpec()
                                                .getNodeName());
                        clock.set(EVENING);
                    }
                    return System.nanoTime() < giveUp;
                });

        assertThat(pausedWhileOnOld1[0])
                .as("the move waited through office hours")
                .isTrue();
        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        assertThat(cloud.terminated()).hasSize(1);
    }

    private StepStatus step(String id) {
        RebalancePlanResource plan = cluster.client()
                .resources(RebalancePlanResource.class)
                .withName("p")
                .get();
        return plan.getStatus() == null
                ? new StepStatus()
                : plan.getStatus().step(id).orElse(new StepStatus());
    }
}

package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStatus;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FinishedPlansTest {

    private final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
    private final Fabric8PlanStore store = new Fabric8PlanStore(cluster.client());

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void keepsTheNewestFinishedPlansOfThePolicyAndDeletesTheRest() {
        // created in this order; names order plans made within the same second
        plan("rebalance-1", "default", true, PlanPhase.Succeeded);
        plan("rebalance-2", "default", false, PlanPhase.Pending);
        plan("rebalance-3", "default", true, PlanPhase.Aborted);
        plan("rebalance-4", "default", true, PlanPhase.Migrating);
        plan("rebalance-5", "default", false, PlanPhase.Pending);
        plan("rebalance-6", "default", true, PlanPhase.Failed);
        plan("other-1", "other", true, PlanPhase.Succeeded);

        FinishedPlans.collect(store, "default", 2);

        // 4 is unfinished, its journal stays; of 1, 2, 3, 5, 6 the newest two stay
        assertThat(store.plans())
                .extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("rebalance-4", "rebalance-5", "rebalance-6", "other-1");
    }

    @Test
    void keepsNoFinishedPlanWhenAskedToKeepNone() {
        plan("rebalance-1", "default", false, PlanPhase.Pending);

        FinishedPlans.collect(store, "default", 0);

        assertThat(store.plans()).isEmpty();
    }

    private void plan(String name, String policy, boolean execute, PlanPhase phase) {
        RebalancePlanResource plan = new RebalancePlanResource();
        plan.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .addToLabels(PlanPublisher.POLICY_LABEL, policy)
                .build());
        plan.setSpec(new PlanSpec());
        plan.getSpec().execute = execute;
        RebalancePlanResource created = store.create(plan);
        created.setStatus(new PlanStatus());
        created.getStatus().phase = phase;
        store.updateStatus(created);
    }
}

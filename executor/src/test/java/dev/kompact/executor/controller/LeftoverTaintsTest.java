package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanStatus;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node carrying the disruption taint with no running plan behind it goes back into service. */
class LeftoverTaintsTest {

    private final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
    private final Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.client());
    private final Fabric8PlanStore store = new Fabric8PlanStore(cluster.client());

    @BeforeEach
    void aPlanTaintedOld1() throws Exception {
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        Plans.create(
                cluster.client(),
                "p",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);
        api.addTaint(
                "old-1",
                new TaintBuilder()
                        .withKey(KompactApi.DISRUPTED_TAINT)
                        .withEffect("NoSchedule")
                        .build());
    }

    @AfterEach
    void stop() {
        api.close();
        cluster.close();
    }

    @Test
    void keepsTheTaintOfAPlanStillRunning() {
        LeftoverTaints.clean(api, store);

        assertThat(tainted("old-1")).isTrue();
    }

    @Test
    void untaintsTheNodeOfADeletedPlan() {
        cluster.client().resources(RebalancePlanResource.class).withName("p").delete();

        LeftoverTaints.clean(api, store);

        assertThat(tainted("old-1")).isFalse();
    }

    @Test
    void untaintsTheNodeOfAPlanSetNotToExecute() {
        cluster.client().resources(RebalancePlanResource.class).withName("p").edit(p -> {
            p.getSpec().execute = false;
            return p;
        });

        LeftoverTaints.clean(api, store);

        assertThat(tainted("old-1")).isFalse();
    }

    @Test
    void untaintsTheNodeOfAPlanThatStoppedButCouldNotUntaint() {
        // the Aborted journal was written, the untaint after it failed (or the controller died in between)
        cluster.client().resources(RebalancePlanResource.class).withName("p").editStatus(p -> {
            PlanStatus status = new PlanStatus();
            status.phase = PlanPhase.Aborted;
            p.setStatus(status);
            return p;
        });

        LeftoverTaints.clean(api, store);

        assertThat(tainted("old-1")).isFalse();
    }

    private boolean tainted(String node) {
        return Nodes.hasTaint(cluster.client().nodes().withName(node).get(), KompactApi.DISRUPTED_TAINT);
    }
}

package dev.kompact.executor.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.OptimizationPolicySpec;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.PlanStep;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepAction;
import dev.kompact.executor.crd.Wave;
import dev.kompact.executor.execution.Fabric8PlanStore;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanPublisherTest {

    private final TestCluster cluster = new TestCluster(Duration.ofMillis(20));
    private final Fabric8ClusterApi api = new Fabric8ClusterApi(cluster.client());
    private final PlanPublisher publisher =
            new PlanPublisher(api, new Fabric8PlanStore(cluster.client()), "test", Clock.systemUTC());

    @AfterEach
    void stop() {
        api.close();
        cluster.close();
    }

    @Test
    void createsAPlanLabelledWithItsPolicy() {
        RebalancePlanResource created = publisher.create(policy(), moves(100), "rebalance", "saves $1/h");

        assertThat(created.getMetadata().getLabels()).containsEntry(PlanPublisher.POLICY_LABEL, "default");
    }

    @Test
    void refusesAPlanTooLargeForTheApiServerToStoreWithItsJournal() {
        // some 2500 moves: about 0.4 MiB of spec, and 512 bytes of journal per step on top
        assertThatThrownBy(() -> publisher.create(policy(), moves(2500), "rebalance", "saves $1/h"))
                .isInstanceOf(PlanPublisher.PlanTooLarge.class)
                .hasMessageContaining("2500 steps")
                .hasMessageContaining("1024 KiB");
        assertThat(cluster.client()
                        .resources(RebalancePlanResource.class)
                        .list()
                        .getItems())
                .isEmpty();
    }

    private static OptimizationPolicy policy() {
        OptimizationPolicy policy = new OptimizationPolicy();
        policy.setMetadata(new ObjectMetaBuilder().withName("default").build());
        policy.setSpec(new OptimizationPolicySpec());
        return policy;
    }

    private static PlanSpec moves(int count) {
        PlanSpec spec = new PlanSpec();
        Wave wave = new Wave();
        wave.action = StepAction.Move;
        for (int i = 0; i < count; i++) {
            PlanStep step = new PlanStep();
            step.id = "move-" + i;
            step.action = StepAction.Move;
            step.pod = "production-namespace/checkout-service-7f9c8d6b5-" + i;
            step.from = "ip-10-0-12-34.ec2.internal";
            step.to = "ip-10-0-56-78.ec2.internal";
            wave.steps.add(step);
        }
        spec.waves.add(wave);
        return spec;
    }
}

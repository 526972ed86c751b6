package dev.kompact.sim.baseline;

import static dev.kompact.sim.baseline.TestClusters.cluster;
import static dev.kompact.sim.baseline.TestClusters.offering;
import static dev.kompact.sim.baseline.TestClusters.onDemand;
import static dev.kompact.sim.baseline.TestClusters.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterAutoscalerScaleDownTest {

    private final ClusterAutoscalerScaleDown autoscaler = new ClusterAutoscalerScaleDown();

    @Test
    void removesANodeUnderHalfWhosePodsFitElsewhere() {
        // "quiet" at 25% CPU; its 1000m fits in the 2000m "busy" has free
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("busy", 0.2, 4000, 16), onDemand("quiet", 0.2, 4000, 16)),
                List.of(pod("web", "busy", 2000, 8), pod("api", "quiet", 1000, 2)),
                List.of());

        BaselineResult result = autoscaler.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactly("quiet");
        assertThat(result.moves()).isEqualTo(1);
        assertThat(PlacementAudit.violations(snapshot, result.after())).isEmpty();
    }

    @Test
    void keepsANodeUnderHalfWhosePodsDoNotFitElsewhere() {
        // "quiet" at 45% CPU; "busy" has 800m free, short of its 1800m
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("busy", 0.2, 4000, 16), onDemand("quiet", 0.2, 4000, 16)),
                List.of(pod("web", "busy", 3200, 4), pod("api", "quiet", 1800, 2)),
                List.of());

        BaselineResult result = autoscaler.run(snapshot);

        assertThat(result.nodesRemoved()).isEmpty();
    }

    @Test
    void keepsANodeAtHalfUtilizationEvenWhenItsPodsFitElsewhere() {
        // memory at 50% on "half" counts: the larger share decides
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("roomy", 0.2, 8000, 32), onDemand("half", 0.2, 4000, 16)),
                List.of(pod("web", "half", 500, 8)),
                List.of());

        BaselineResult result = autoscaler.run(snapshot);

        assertThat(result.nodesRemoved()).containsExactly("roomy");
    }

    @Test
    void neverBuysANodeEvenWhenACheaperOneWouldDo() {
        ClusterSnapshot snapshot = cluster(
                List.of(onDemand("big", 0.8, 16000, 64)),
                List.of(pod("web", "big", 500, 1)),
                List.of(offering("small", CapacityType.ON_DEMAND, 0.05, 1000, 2)));

        BaselineResult result = autoscaler.run(snapshot);

        assertThat(result.nodesAdded()).isEmpty();
        assertThat(result.nodesRemoved()).isEmpty();
    }
}

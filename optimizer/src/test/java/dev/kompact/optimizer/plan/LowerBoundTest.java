package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.solver.ClusterPlacement;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import org.junit.jupiter.api.Test;

class LowerBoundTest {

    @Test
    void pricesPodsAtTheCheapestNodeTheyAccept() throws Exception {
        ClusterSnapshot snapshot = Snapshots.read("memory-pool-only.json");
        ClusterPlacement placement = new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot);

        LowerBoundEstimate bound = LowerBound.of(placement, snapshot.offerings(),
                DaemonSetOverhead.of(snapshot.pods()), 126_000);

        // the cache selects pool=memory, which only the r5.large ($0.126/h, 1930m) has: 1000m costs at least
        // 126000 × 1000 / 1930 = 65285 µ$/h; the cheaper m5.large ($0.096/h) would have said 49741
        assertThat(bound.cost().microsPerHour()).isEqualTo(65_285);
        assertThat(bound.limitingResource()).isEqualTo("cpu");
    }
}

package dev.kompact.sim.baseline;

import static dev.kompact.sim.baseline.TestClusters.onDemand;
import static dev.kompact.sim.baseline.TestClusters.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementAuditTest {

    @Test
    void evictionUnderBudgetAllowingNoDisruptionIsAViolation() {
        assertThat(auditOfMovingWeb(0))
                .containsExactly("default/web was evicted from a though budget default/web allows no disruption");
    }

    @Test
    void evictionWithinBudgetIsValid() {
        assertThat(auditOfMovingWeb(1)).isEmpty();
    }

    private static List<String> auditOfMovingWeb(int disruptionsAllowed) {
        Pod web = pod("web", "a", 500, 1);
        ClusterSnapshot before = new ClusterSnapshot(
                "test",
                List.of(onDemand("a", 0.1, 2000, 4), onDemand("b", 0.1, 2000, 4)),
                List.of(web),
                List.of(new PodDisruptionBudget(
                        "default",
                        "web",
                        new LabelSelector(Map.of("app", "web"), List.of()),
                        null,
                        "1",
                        disruptionsAllowed)),
                List.of());
        ClusterState after = new ClusterState(before);
        after.unplace(web);
        after.place(web, "b");
        return PlacementAudit.violations(before, after);
    }
}

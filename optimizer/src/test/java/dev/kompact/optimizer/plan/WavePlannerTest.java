package dev.kompact.optimizer.plan;

import static dev.kompact.optimizer.testing.Cluster.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.testing.Cluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WavePlannerTest {

    @Test
    void spreadsRestartsUnderABudgetOverWaves() {
        ClusterSnapshot snapshot = new Cluster()
                .node("a", "z1")
                .node("b", "z1")
                .pod(pod("web-1", "a", "web", 100))
                .pod(pod("web-2", "a", "web", 100))
                .pod(pod("web-3", "a", "web", 100))
                .budget("web", 1)
                .snapshot();
        List<PodMove> moves = List.of(move("web-1", "a", "b"), move("web-2", "a", "b"), move("web-3", "a", "b"));

        WavePlanner.Result result =
                new WavePlanner(snapshot).order(List.of(), moves, List.of("a"), Map.of(), Integer.MAX_VALUE);

        // one disruption allowed per wave: the taint, three move waves, then the removal
        assertThat(result.waves())
                .extracting(Wave::action)
                .containsExactly(
                        StepAction.Taint,
                        StepAction.Move,
                        StepAction.Move,
                        StepAction.Move,
                        StepAction.Drain,
                        StepAction.Terminate);
        assertThat(result.unordered()).isEmpty();
    }

    @Test
    void ordersAMoveAfterTheOneThatMakesRoomForIt() {
        ClusterSnapshot snapshot = new Cluster()
                .node("a", "z1")
                .node("b", "z1")
                .node("c", "z1")
                .pod(pod("big", "b", "x", 1900))
                .pod(pod("small", "a", "y", 1500))
                .snapshot();
        // small can only go to b once big has left for c
        List<PodMove> moves = List.of(move("small", "a", "b"), move("big", "b", "c"));

        WavePlanner.Result result =
                new WavePlanner(snapshot).order(List.of(), moves, List.of("a"), Map.of(), Integer.MAX_VALUE);

        assertThat(result.waves().get(1).moves())
                .extracting(m -> m.pod().toString())
                .containsExactly("default/big");
        assertThat(result.waves().get(2).moves())
                .extracting(m -> m.pod().toString())
                .containsExactly("default/small");
    }

    @Test
    void returnsASwapBetweenFullNodesAsUnordered() {
        ClusterSnapshot snapshot = new Cluster()
                .node("a", "z1")
                .node("b", "z1")
                .pod(pod("p", "a", "x", 1900))
                .pod(pod("q", "b", "y", 1900))
                .snapshot();

        WavePlanner.Result result = new WavePlanner(snapshot)
                .order(
                        List.of(),
                        List.of(move("p", "a", "b"), move("q", "b", "a")),
                        List.of(),
                        Map.of(),
                        Integer.MAX_VALUE);

        assertThat(result.unordered()).hasSize(2);
        assertThat(result.unordered().values())
                .allSatisfy(reason -> assertThat(reason).contains("cpu free"));
    }

    private static PodMove move(String pod, String from, String to) {
        return new PodMove(PodKey.parse("default/" + pod), from, to, Mobility.RESTART);
    }
}

package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlanGateTest {

    private final PlanGate gate = new PlanGate(10_000, 1.0, 0.5);

    @Test
    void proposesAPlanThatSavesEnoughForItsDisruption() {
        // saves 40% of the bill for 2 of 10 pods moved (20%): ratio 2
        assertThat(gate.judge(plan(400_000, 1_000_000, 2), 10, List.of()).proposed())
                .isTrue();
    }

    @Test
    void refusesPenniesAndChurnAndSaysWhy() {
        // saves $0.005/h (0.5%) for 5 of 10 pods moved: all three bars missed
        Decision decision = gate.judge(plan(5_000, 1_000_000, 5), 10, List.of());

        assertThat(decision.proposed()).isFalse();
        assertThat(decision.reasons())
                .containsExactly(
                        "saves $0.005/hour, less than the minimum $0.01/hour",
                        "saves 0.50% of the bill, less than the minimum 1.00%",
                        "saves 0.5% of the bill for 50.0% of pods disrupted: a ratio of 0.01, below the minimum 0.50");
    }

    @Test
    void countsAPodMovedLiveAsATenthOfARestart() {
        // saves 15% for 8 of 10 pods moved, 6 of them live: 2 + 6 x 0.1 = 2.6 pods (26%), a ratio of 0.58
        RebalancePlan plan = plan(150_000, 1_000_000, 8, 6);

        assertThat(gate.judge(plan, 10, List.of()).proposed()).isTrue();
        // all 8 restarted: 80%, a ratio of 0.19
        assertThat(gate.judge(plan(150_000, 1_000_000, 8, 0), 10, List.of()).proposed())
                .isFalse();
    }

    @Test
    void refusesMovesThatCannotBeOrderedSafely() {
        Decision decision = gate.judge(plan(400_000, 1_000_000, 2), 10, List.of("default/p to b (no room)"));

        assertThat(decision.proposed()).isFalse();
        assertThat(decision.reasons())
                .containsExactly("no safe order found for 1 moves; e.g. default/p to b (no room)");
    }

    @Test
    void refusesEveryPlanWhenTheBillIsWithinTheMinimumOfTheLowerBound() {
        // $1/h now, no plan below $0.995/h: at most $0.005/h (0.5%) to save
        assertThat(gate.unreachable(1_000_000, 995_000))
                .contains("the lower bound: at most saves $0.005/hour, less than the minimum $0.01/hour;"
                        + " at most saves 0.50% of the bill, less than the minimum 1.00%");
    }

    @Test
    void refusesEveryPlanOnASmallBillWhoseWholeSavingIsUnderTheRelativeMinimum() {
        // $10/h now, bound $9.92/h: $0.08/h passes the absolute bar, 0.8% misses the relative one
        assertThat(gate.unreachable(10_000_000, 9_920_000))
                .contains("the lower bound: at most saves 0.80% of the bill, less than the minimum 1.00%");
    }

    @Test
    void leavesItToTheSearchWhenTheLowerBoundLeavesEnoughToSave() {
        // $1/h now, bound $0.98/h: $0.02/h (2%) might be saved
        assertThat(gate.unreachable(1_000_000, 980_000)).isEmpty();
    }

    private static RebalancePlan plan(long savedMicros, long beforeMicros, int moved) {
        return plan(savedMicros, beforeMicros, moved, 0);
    }

    private static RebalancePlan plan(long savedMicros, long beforeMicros, int moved, int live) {
        List<PodMove> moves = IntStream.range(0, moved)
                .mapToObj(i -> new PodMove(
                        PodKey.parse("default/p" + i), "a", "b", i < live ? Mobility.LIVE : Mobility.RESTART))
                .toList();
        Utilization none = new Utilization(0, 0);
        return RebalancePlan.builder("test")
                .costs(
                        Cost.ofMicros(beforeMicros),
                        Cost.ofMicros(beforeMicros - savedMicros),
                        new RebalancePlan.Savings(Cost.ofMicros(savedMicros), 100.0 * savedMicros / beforeMicros))
                .lowerBound(new LowerBoundEstimate(Cost.ofMicros(0), 0, "cpu"))
                .utilization(none, none)
                .nodesRemoved(List.of("a"))
                .moves(moves)
                .build();
    }
}

package dev.kompact.optimizer.bound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PatternKnapsackTest {

    private static final double[][] NO_SURROGATE = {};
    private static final double[][] SURROGATE = {{1.0 / 1000, 1.0 / 1000, 0.1}};

    @Test
    void findsTheMostValuableSetOfPodsOneNodeHolds() {
        // 1000m / 1000 MiB: two 500m pods (worth 3 each) beat the one 900m pod (worth 5); the 100m pod is too big in
        // memory to join them
        long[][] demand = {{500, 400}, {900, 100}, {100, 300}};
        PatternKnapsack.Result result = PatternKnapsack.solve(
                demand, new long[] {1000, 1000}, new double[] {3, 5, 1}, new int[] {2, 1, 1}, NO_SURROGATE);

        assertThat(result.counts()).containsExactly(2, 0, 0);
        assertThat(result.value()).isEqualTo(6);
        assertThat(result.upperBound()).isEqualTo(6);
    }

    @Test
    void matchesExhaustiveSearchAndStaysAboveItWhenCutShort() {
        Random random = new Random(16);
        for (int trial = 0; trial < 200; trial++) {
            int classes = 1 + random.nextInt(5);
            long[][] demand = new long[classes][];
            double[] value = new double[classes];
            int[] count = new int[classes];
            for (int i = 0; i < classes; i++) {
                demand[i] = new long[] {1 + random.nextInt(600), 1 + random.nextInt(600), 1};
                value[i] = random.nextDouble();
                count[i] = 1 + random.nextInt(3);
            }
            long[] capacity = {1000, 1000, 1 + random.nextInt(6)};
            double optimum = exhaustive(demand, capacity, value, count, 0, capacity.clone());

            assertThat(PatternKnapsack.solve(demand, capacity, value, count, SURROGATE)
                            .value())
                    .isCloseTo(optimum, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(PatternKnapsack.solve(demand, capacity, value, count, SURROGATE, 1)
                            .upperBound())
                    .isGreaterThanOrEqualTo(optimum - 1e-9);
        }
    }

    private static double exhaustive(
            long[][] demand, long[] capacity, double[] value, int[] count, int i, long[] left) {
        if (i == demand.length) {
            return 0;
        }
        double best = 0;
        for (int n = 0; n <= count[i]; n++) {
            boolean fits = true;
            for (int r = 0; r < left.length; r++) {
                fits &= n * demand[i][r] <= left[r];
            }
            if (!fits) {
                break;
            }
            long[] rest = left.clone();
            for (int r = 0; r < left.length; r++) {
                rest[r] -= n * demand[i][r];
            }
            best = Math.max(best, n * value[i] + exhaustive(demand, capacity, value, count, i + 1, rest));
        }
        return best;
    }
}

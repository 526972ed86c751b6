package dev.kompact.optimizer.bound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PatternProgramTest {

    private final long deadline = System.nanoTime() + 10_000_000_000L;

    @Test
    void paysForWholeNodesWhenNoTwoPodsShareOne() {
        // three 600m pods, nodes of 1000m at $1/h: fluid, 1800m cost $1.80; whole, no node holds two: $3
        List<BoundSource> nodes = List.of(node(1_000_000, 1000, 1000, 3));
        List<long[]> pods = List.of(pod(600, 100), pod(600, 100), pod(600, 100));

        long bound = PatternProgram.of(nodes, anywhere(3), pods, () -> deadline);

        assertThat(bound).isBetween(2_999_000L, 3_000_000L);
    }

    @Test
    void buysTheCheaperKindOfNodeUpToHowManyThereAre() {
        // four 600m pods, one per node: one $1 node, then three of the $3 ones: $10 (fluid: $1 + 1.4 × $3 = $5.20)
        List<BoundSource> nodes = List.of(node(1_000_000, 1000, 1000, 1), node(3_000_000, 1000, 1000, 4));
        List<long[]> pods = List.of(pod(600, 1), pod(600, 1), pod(600, 1), pod(600, 1));

        long bound = PatternProgram.of(nodes, anywhere(4), pods, () -> deadline);

        assertThat(bound).isBetween(9_999_000L, 10_000_000L);
    }

    @Test
    void neverExceedsTheCheapestPackingOfSmallRandomSets() {
        Random random = new Random(16);
        for (int trial = 0; trial < 60; trial++) {
            List<BoundSource> nodes = new ArrayList<>();
            List<long[]> capacities = new ArrayList<>();
            List<Long> prices = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                long cpu = 1000 + 1000L * random.nextInt(3);
                long memory = 1000 + 1000L * random.nextInt(3);
                long price = 100_000 + 10_000L * random.nextInt(30);
                nodes.add(node(price, cpu, memory, 1));
                capacities.add(new long[] {cpu, memory, 4});
                prices.add(price);
            }
            List<long[]> pods = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                pods.add(pod(100 + random.nextInt(1200), 100 + random.nextInt(1200)));
            }
            long optimum = cheapest(pods, capacities, prices, 0, new long[4][3]);
            if (optimum == Long.MAX_VALUE) {
                continue;
            }

            long bound = PatternProgram.of(nodes, anywhere(pods.size()), pods, () -> deadline);

            assertThat(bound).as("trial %d", trial).isLessThanOrEqualTo(optimum);
        }
    }

    /** The cheapest assignment of every pod, tried exhaustively. */
    private static long cheapest(List<long[]> pods, List<long[]> capacities, List<Long> prices, int p, long[][] load) {
        if (p == pods.size()) {
            long cost = 0;
            for (int n = 0; n < load.length; n++) {
                cost += load[n][2] > 0 ? prices.get(n) : 0;
            }
            return cost;
        }
        long best = Long.MAX_VALUE;
        for (int n = 0; n < load.length; n++) {
            boolean fits = true;
            for (int r = 0; r < 3; r++) {
                fits &= load[n][r] + pods.get(p)[r] <= capacities.get(n)[r];
            }
            if (fits) {
                for (int r = 0; r < 3; r++) {
                    load[n][r] += pods.get(p)[r];
                }
                best = Math.min(best, cheapest(pods, capacities, prices, p + 1, load));
                for (int r = 0; r < 3; r++) {
                    load[n][r] -= pods.get(p)[r];
                }
            }
        }
        return best;
    }

    private static BoundSource node(long price, long cpu, long memory, long count) {
        return new BoundSource(Map.of(), List.of(), "zone", price, new long[] {cpu, memory, 4}, count, false);
    }

    private static long[] pod(long cpu, long memory) {
        return new long[] {cpu, memory, 1};
    }

    private static List<PodClass> anywhere(int pods) {
        return Collections.nCopies(pods, PodClass.ANYWHERE);
    }
}

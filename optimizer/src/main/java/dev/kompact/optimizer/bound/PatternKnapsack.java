package dev.kompact.optimizer.bound;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The pricing step of {@link PatternProgram}: the fullest-valued set of items one node holds, each item class at most
 * its count, every resource within capacity. Branch and bound, depth first, classes in order of value per share of
 * the node they take; a branch is cut when even a fluid fill of the rest, on the resource that bounds it most, cannot
 * beat the best found. After {@link #MAX_BRANCHES} branches it stops expanding and reports, besides the best pattern found,
 * the highest value any unexplored branch could still reach: {@code upperBound} is never below the true optimum, which
 * is what keeps the lower bound valid when the search is cut short.
 */
final class PatternKnapsack {

    static final int MAX_BRANCHES = 20_000;

    private final long[][] demand;
    private final long[] capacity;
    private final double[] value;
    private final int[] count;
    private final int[] order;
    /** Where each class stands in {@code order}. */
    private final int[] position;
    /**
     * The single constraints whose fluid fill bounds a branch: each resource alone, and surrogates (resources
     * weighed together); per constraint, what each class takes of it and the classes by value per unit taken.
     */
    private final double[][] weights;

    private final double[][] size;
    private final int[][] byDensity;

    private final int maxBranches;
    private final int[] chosen;
    private int[] best;
    private double bestValue;
    private double openBound;
    private int branches;

    /** A pattern: how many of each class, what they are worth, and no pattern is worth more than upperBound. */
    record Result(int[] counts, double value, double upperBound) {}

    private PatternKnapsack(
            long[][] demand, long[] capacity, double[] value, int[] count, double[][] surrogates, int maxBranches) {
        this.maxBranches = maxBranches;
        this.demand = demand;
        this.capacity = capacity;
        this.value = value;
        this.count = count;
        this.chosen = new int[value.length];
        this.best = new int[value.length];
        this.order = IntStream.range(0, value.length)
                .filter(i -> value[i] > 0 && fitsAlone(i))
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -value[i] / share(i)))
                .mapToInt(Integer::intValue)
                .toArray();
        this.position = new int[value.length];
        for (int k = 0; k < order.length; k++) {
            position[order[k]] = k;
        }
        this.weights = new double[capacity.length + surrogates.length][];
        for (int r = 0; r < capacity.length; r++) {
            weights[r] = new double[capacity.length];
            weights[r][r] = 1;
        }
        System.arraycopy(surrogates, 0, weights, capacity.length, surrogates.length);
        this.size = new double[weights.length][value.length];
        this.byDensity = new int[weights.length][];
        for (int j = 0; j < weights.length; j++) {
            double[] taken = size[j];
            for (int i = 0; i < value.length; i++) {
                for (int r = 0; r < capacity.length; r++) {
                    taken[i] += weights[j][r] * demand[i][r];
                }
            }
            byDensity[j] = Arrays.stream(order)
                    .boxed()
                    .sorted(Comparator.comparingDouble(
                            (Integer i) -> taken[i] == 0 ? -Double.MAX_VALUE : -value[i] / taken[i]))
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
    }

    /**
     * @param demand per class, per resource
     * @param value per class; classes worth nothing are never packed
     * @param count per class, the most one pattern may hold
     */
    static Result solve(long[][] demand, long[] capacity, double[] value, int[] count, double[][] surrogates) {
        return solve(demand, capacity, value, count, surrogates, MAX_BRANCHES);
    }

    /** @param surrogates weights per resource (non-negative), each combining the resources into one constraint */
    static Result solve(
            long[][] demand, long[] capacity, double[] value, int[] count, double[][] surrogates, int maxBranches) {
        PatternKnapsack knapsack = new PatternKnapsack(demand, capacity, value, count, surrogates, maxBranches);
        knapsack.branch(0, capacity.clone(), 0);
        return new Result(knapsack.best, knapsack.bestValue, Math.max(knapsack.bestValue, knapsack.openBound));
    }

    private void branch(int depth, long[] left, double worth) {
        if (worth > bestValue) {
            bestValue = worth;
            best = chosen.clone();
        }
        if (depth == order.length) {
            return;
        }
        double reachable = worth + fluidFill(depth, left);
        if (reachable <= bestValue) {
            return;
        }
        if (++branches > maxBranches) {
            openBound = Math.max(openBound, reachable);
            return;
        }
        int item = order[depth];
        int most = count[item];
        for (int r = 0; r < left.length; r++) {
            if (demand[item][r] > 0) {
                most = (int) Math.min(most, left[r] / demand[item][r]);
            }
        }
        for (int n = most; n >= 0; n--) {
            for (int r = 0; r < left.length; r++) {
                left[r] -= n * demand[item][r];
            }
            chosen[item] = n;
            branch(depth + 1, left, worth + n * value[item]);
            chosen[item] = 0;
            for (int r = 0; r < left.length; r++) {
                left[r] += n * demand[item][r];
            }
        }
    }

    /**
     * The most the classes from {@code depth} on could add if they were fluid, under each single constraint: every
     * one is a relaxation (a surrogate sums constraints the packing keeps), so the smallest fill still bounds the
     * integral packing.
     */
    private double fluidFill(int depth, long[] left) {
        double bound = Double.POSITIVE_INFINITY;
        for (int j = 0; j < weights.length && bound > 0; j++) {
            double room = 0;
            for (int r = 0; r < left.length; r++) {
                room += weights[j][r] * left[r];
            }
            double fill = 0;
            for (int item : byDensity[j]) {
                if (position[item] < depth) {
                    continue;
                }
                if (size[j][item] == 0) {
                    fill = Double.POSITIVE_INFINITY;
                    break;
                }
                double units = Math.min(count[item], room / size[j][item]);
                fill += units * value[item];
                room -= units * size[j][item];
                if (room <= 0) {
                    break;
                }
            }
            bound = Math.min(bound, fill);
        }
        return bound;
    }

    private boolean fitsAlone(int item) {
        for (int r = 0; r < capacity.length; r++) {
            if (demand[item][r] > capacity[r]) {
                return false;
            }
        }
        return true;
    }

    /** The largest share of the node one unit of the class takes. */
    private double share(int item) {
        double share = 1e-12;
        for (int r = 0; r < capacity.length; r++) {
            if (capacity[r] > 0) {
                share = Math.max(share, (double) demand[item][r] / capacity[r]);
            }
        }
        return share;
    }
}

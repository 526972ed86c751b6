package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.bound.ItemClasses.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.PivotSelectionRule;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * The covering program over whole nodes (Gilmore and Gomory's column generation): buy node patterns — how many pods
 * of each class one node holds — so that every pod is covered, each kind of node at most as many times as there are
 * such nodes. Unlike {@link CoveringProgram} it knows that pods do not split across nodes.
 * <ol>
 *   <li>Start with one pattern per item class (one pod on the node cheapest for its share) and the patterns of a
 *       first-fit-decreasing packing, so that the program covers every pod; start the prices at the fluid program's
 *       (each pod at what its resources cost there).</li>
 *   <li>Each round, solve the dual of the patterns so far (a price per pod of each class, such that no pattern is
 *       worth more than its node costs plus the value of that kind's limited count), and take a subgradient step
 *       from the best prices so far; keep whichever proves more.</li>
 *   <li>Price at both: for each kind of node, the pattern the pods' prices value most ({@link PatternKnapsack}). A
 *       pattern the program's prices say is worth more than its node joins it; none left means they are optimal.</li>
 * </ol>
 * Whatever the prices, the pods' value less, per kind of node, what its best pattern is worth beyond its price (times
 * the count, or all prices scaled down for a node kind without limit) is a lower bound: the knapsack's upper bound
 * keeps it one even when pricing or the deadline cuts the search short, so only its tightness depends on time.
 */
final class PatternProgram {

    static final int MAX_ITEM_CLASSES = 160;
    /** Beyond this many kinds of node (offerings in many zones), each round's pricing would take the search's time. */
    static final int MAX_NODE_KINDS = 40;

    private static final int MAX_ROUNDS = 80;
    private static final int MAX_PIVOTS = 100_000;
    private static final double SAFETY = 1e-7;
    private static final double IMPROVING = 1e-9;
    /** The master's value within this share of the best bound: close enough to stop. */
    private static final double CONVERGED = 1e-3;
    /**
     * Rounds in a row that raise the bound by less than {@link #PROGRESS} before it stops: where pods are small
     * beside their nodes the fluid bound is nearly tight, and the rounds would only take the search's processor.
     */
    private static final int STALL_ROUNDS = 4;

    private static final double PROGRESS = 5e-4;

    private final List<Item> items;
    private final List<NodeKind> kinds;
    private final List<Pattern> patterns = new ArrayList<>();
    private final int limited;
    private final double priceCap;
    private final long units;
    private final LongSupplier deadlineNanos;
    /** The fluid program's price per unit of each resource: weighs resources together in the knapsack's bound. */
    private double[] unitPrices;

    private PatternProgram(List<Item> items, List<NodeKind> kinds, LongSupplier deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.items = items;
        this.kinds = kinds;
        this.limited = (int) kinds.stream().filter(NodeKind::isLimited).count();
        this.priceCap = 2 * kinds.stream().mapToDouble(NodeKind::price).max().orElse(0);
        this.units = items.stream().mapToLong(Item::count).sum();
    }

    /**
     * The bound in micro-dollars per hour, tightened until it is optimal or {@code deadlineNanos} passes (in
     * {@link System#nanoTime()}, read again each round: a caller may bring it forward).
     */
    static long of(
            List<BoundSource> sources, List<PodClass> classes, List<long[]> demands, LongSupplier deadlineNanos) {
        List<Item> all = ItemClasses.of(classes, demands, MAX_ITEM_CLASSES);
        List<NodeKind> kinds = NodeKind.of(sources, all);
        if (kinds.size() > MAX_NODE_KINDS) {
            return 0;
        }
        List<Item> placeable = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int item = i;
            // a pod no node holds cannot be covered: leaving it out only loosens the bound
            if (kinds.stream()
                    .anyMatch(k -> k.accepts(item) && k.fits(all.get(item).demand()))) {
                placeable.add(all.get(i));
            }
        }
        if (placeable.isEmpty()) {
            return 0;
        }
        List<NodeKind> reindexed = NodeKind.of(sources, placeable);
        return new PatternProgram(placeable, reindexed, deadlineNanos).solve();
    }

    private long solve() {
        for (int i = 0; i < items.size(); i++) {
            patterns.add(cheapestAlone(i));
        }
        patterns.addAll(firstFitDecreasing());
        double[] start = fluidPrices();
        if (start == null) {
            return 0;
        }
        Evaluation center = evaluate(start, null);
        if (center == null) {
            return 0;
        }
        double step = 1;
        int stalled = 0;
        for (int round = 0; round < MAX_ROUNDS && stalled < STALL_ROUNDS && !pastDeadline(); round++) {
            double[] master = dualPrices();
            if (master == null || objective(master) <= center.bound() * (1 + CONVERGED)) {
                break;
            }
            Evaluation atMaster = evaluate(master, master);
            Evaluation stepped = atMaster == null ? null : evaluate(ascend(center, step, objective(master)), master);
            if (stepped == null) {
                break;
            }
            Evaluation better = atMaster.bound() >= stepped.bound() ? atMaster : stepped;
            stalled = better.bound() > center.bound() * (1 + PROGRESS) ? 0 : stalled + 1;
            if (better.bound() > center.bound()) {
                center = better;
            } else {
                step /= 2;
            }
            if (atMaster.added() + stepped.added() == 0) {
                break;
            }
        }
        return Math.max(0, (long) Math.floor(center.bound() * 1e6 * (1 - SAFETY)));
    }

    /**
     * What one set of pod prices proves, how many patterns pricing at them added to the program, and the direction
     * in which the bound rises from them (pods left uncovered, less those the over-valued nodes' patterns cover).
     */
    private record Evaluation(double[] prices, double bound, int added, double[] ascent) {}

    /** Polyak's step along the ascent, sized by how far the bound is below the master's value. */
    private double[] ascend(Evaluation from, double step, double target) {
        double norm = 0;
        for (double g : from.ascent()) {
            norm += g * g;
        }
        double[] prices = from.prices().clone();
        if (norm == 0) {
            return prices;
        }
        double t = step * Math.max(0, target - from.bound()) / norm;
        for (int i = 0; i < items.size(); i++) {
            prices[i] = Math.max(0, prices[i] + t * from.ascent()[i]);
        }
        return prices;
    }

    /**
     * The bound {@code prices} prove: the pods' worth less, per kind of node, what its best pattern is worth beyond
     * its price, over all such nodes; prices a node kind without limit cannot pay for are scaled down first. Each
     * kind's best pattern joins the program when the {@code master}'s prices say it is worth more than its node.
     * Null when the deadline passes first: an unfinished evaluation proves nothing.
     */
    private Evaluation evaluate(double[] prices, double[] master) {
        double podsValue = 0;
        double[] ascent = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            podsValue += items.get(i).count() * Math.max(0, prices[i]);
            ascent[i] = items.get(i).count();
        }
        double scale = 1;
        double[] upper = new double[kinds.size()];
        int added = 0;
        for (int k = 0; k < kinds.size(); k++) {
            if (pastDeadline()) {
                return null;
            }
            NodeKind kind = kinds.get(k);
            PatternKnapsack.Result result = price(kind, prices);
            upper[k] = result.upperBound();
            if (master != null && worthAtMaster(k, result.counts(), master)) {
                patterns.add(new Pattern(k, result.counts()));
                added++;
            }
            if (!kind.isLimited() && upper[k] > kind.price()) {
                scale = Math.min(scale, kind.price() / upper[k]);
            }
            if (result.value() > kind.price()) {
                long nodes = kind.isLimited() ? kind.count() : units;
                for (int i = 0; i < items.size(); i++) {
                    ascent[i] -= nodes * result.counts()[i];
                }
            }
        }
        double bound = scale * podsValue;
        for (int k = 0; k < kinds.size(); k++) {
            NodeKind kind = kinds.get(k);
            if (kind.isLimited()) {
                bound -= kind.count() * Math.max(0, scale * upper[k] - kind.price());
            }
        }
        return new Evaluation(prices, bound, added, ascent);
    }

    private boolean pastDeadline() {
        return System.nanoTime() >= deadlineNanos.getAsLong();
    }

    private boolean worthAtMaster(int k, int[] counts, double[] master) {
        NodeKind kind = kinds.get(k);
        double value = 0;
        for (int i = 0; i < items.size(); i++) {
            value += counts[i] * master[i];
        }
        double worth = kind.isLimited() ? kind.price() + master[items.size() + limitedIndex(k)] : kind.price();
        return value > worth * (1 + IMPROVING) + IMPROVING;
    }

    /** The master program's value at its prices: above the optimum, so the gap to the best bound closes from both. */
    private double objective(double[] master) {
        double value = 0;
        for (int i = 0; i < items.size(); i++) {
            value += items.get(i).count() * master[i];
        }
        for (int k = 0; k < kinds.size(); k++) {
            if (kinds.get(k).isLimited()) {
                value -= kinds.get(k).count() * master[items.size() + limitedIndex(k)];
            }
        }
        return value;
    }

    /**
     * Starting prices: the fluid program's price per share of each resource (all pods together, confinement
     * ignored), each pod priced at what it asks. They prove about the fluid bound from the first round.
     */
    private double[] fluidPrices() {
        int resources = kinds.get(0).capacity().length;
        double[] total = new double[resources];
        for (Item item : items) {
            for (int r = 0; r < resources; r++) {
                total[r] += (double) item.count() * item.demand()[r];
            }
        }
        int variables = resources + limited;
        double[] objective = new double[variables];
        for (int r = 0; r < resources; r++) {
            objective[r] = total[r] > 0 ? 1 : 0;
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            NodeKind kind = kinds.get(k);
            double[] a = new double[variables];
            for (int r = 0; r < resources; r++) {
                a[r] = total[r] > 0 ? kind.capacity()[r] / total[r] : 0;
            }
            if (kind.isLimited()) {
                a[resources + limitedIndex(k)] = -1;
                objective[resources + limitedIndex(k)] = -kind.count();
            }
            constraints.add(new LinearConstraint(a, Relationship.LEQ, kind.price()));
        }
        double[] share = maximize(objective, constraints);
        if (share == null) {
            return null;
        }
        unitPrices = new double[resources];
        for (int r = 0; r < resources; r++) {
            unitPrices[r] = total[r] > 0 ? share[r] / total[r] : 0;
        }
        double[] prices = new double[items.size() + limited];
        for (int i = 0; i < items.size(); i++) {
            for (int r = 0; r < resources; r++) {
                prices[i] += total[r] > 0 ? share[r] * items.get(i).demand()[r] / total[r] : 0;
            }
        }
        return prices;
    }

    private PatternKnapsack.Result price(NodeKind kind, double[] prices) {
        long[][] demand = new long[items.size()][];
        double[] value = new double[items.size()];
        int[] count = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            demand[i] = items.get(i).demand();
            value[i] = kind.accepts(i) ? Math.max(0, prices[i]) : 0;
            count[i] = items.get(i).count();
        }
        double[] share = new double[kind.capacity().length];
        for (int r = 0; r < share.length; r++) {
            share[r] = kind.capacity()[r] > 0 ? 1.0 / kind.capacity()[r] : 0;
        }
        double[][] surrogates = unitPrices == null ? new double[][] {share} : new double[][] {share, unitPrices};
        return PatternKnapsack.solve(demand, kind.capacity(), value, count, surrogates);
    }

    /** Solves the dual of the patterns so far: per item class a price, per limited node kind a rent. */
    private double[] dualPrices() {
        int variables = items.size() + limited;
        double[] objective = new double[variables];
        for (int i = 0; i < items.size(); i++) {
            objective[i] = items.get(i).count();
        }
        for (int k = 0; k < kinds.size(); k++) {
            if (kinds.get(k).isLimited()) {
                objective[items.size() + limitedIndex(k)] = -kinds.get(k).count();
            }
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        // a cap on every price keeps the program bounded while the patterns cannot yet cover every pod; the prices
        // only guide the search, the bound is computed from them afterwards whatever they are
        for (int i = 0; i < items.size(); i++) {
            double[] a = new double[variables];
            a[i] = 1;
            constraints.add(new LinearConstraint(a, Relationship.LEQ, priceCap));
        }
        for (Pattern pattern : patterns) {
            double[] a = new double[variables];
            for (int i = 0; i < items.size(); i++) {
                a[i] = pattern.counts()[i];
            }
            NodeKind kind = kinds.get(pattern.kind());
            if (kind.isLimited()) {
                a[items.size() + limitedIndex(pattern.kind())] = -1;
            }
            constraints.add(new LinearConstraint(a, Relationship.LEQ, kind.price()));
        }
        return maximize(objective, constraints);
    }

    private static double[] maximize(double[] objective, List<LinearConstraint> constraints) {
        try {
            PointValuePair optimum = new SimplexSolver()
                    .optimize(
                            new MaxIter(MAX_PIVOTS),
                            new LinearObjectiveFunction(objective, 0),
                            new LinearConstraintSet(constraints),
                            GoalType.MAXIMIZE,
                            new NonNegativeConstraint(true),
                            // the pattern programs are degenerate (many patterns tie), where Dantzig's rule cycles
                            PivotSelectionRule.BLAND);
            return optimum.getPoint();
        } catch (MathIllegalStateException unboundedOrTooLong) {
            return null;
        }
    }

    private int limitedIndex(int kind) {
        int index = 0;
        for (int k = 0; k < kind; k++) {
            if (kinds.get(k).isLimited()) {
                index++;
            }
        }
        return index;
    }

    /**
     * The patterns of a first-fit-decreasing packing, each distinct one once: with them the program covers every pod
     * from the start, so that its first prices are already those of a real packing.
     */
    private List<Pattern> firstFitDecreasing() {
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            for (int n = 0; n < items.get(i).count(); n++) {
                units.add(i);
            }
        }
        units.sort(java.util.Comparator.comparingDouble(
                (Integer i) -> -largestShare(items.get(i).demand())));
        List<Integer> byPrice = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            byPrice.add(k);
        }
        byPrice.sort(java.util.Comparator.comparingDouble(
                k -> kinds.get(k).price() / largestShare(kinds.get(k).capacity())));
        long[] opened = new long[kinds.size()];
        List<int[]> counts = new ArrayList<>();
        List<Integer> kindOf = new ArrayList<>();
        List<long[]> left = new ArrayList<>();
        for (int item : units) {
            long[] demand = items.get(item).demand();
            int bin = -1;
            for (int b = 0; b < left.size() && bin < 0; b++) {
                if (kinds.get(kindOf.get(b)).accepts(item) && fitsIn(demand, left.get(b))) {
                    bin = b;
                }
            }
            for (int k = 0; bin < 0 && k < byPrice.size(); k++) {
                NodeKind kind = kinds.get(byPrice.get(k));
                if (kind.accepts(item)
                        && kind.fits(demand)
                        && (!kind.isLimited() || opened[byPrice.get(k)] < kind.count())) {
                    opened[byPrice.get(k)]++;
                    counts.add(new int[items.size()]);
                    kindOf.add(byPrice.get(k));
                    left.add(kind.capacity().clone());
                    bin = left.size() - 1;
                }
            }
            if (bin >= 0) {
                counts.get(bin)[item]++;
                for (int r = 0; r < demand.length; r++) {
                    left.get(bin)[r] -= demand[r];
                }
            }
        }
        Map<List<Object>, Pattern> distinct = new LinkedHashMap<>();
        for (int b = 0; b < counts.size(); b++) {
            distinct.putIfAbsent(
                    List.of(kindOf.get(b), Arrays.toString(counts.get(b))), new Pattern(kindOf.get(b), counts.get(b)));
        }
        return new ArrayList<>(distinct.values());
    }

    private double largestShare(long[] amounts) {
        double share = 0;
        long[] largest = new long[amounts.length];
        for (NodeKind kind : kinds) {
            for (int r = 0; r < largest.length; r++) {
                largest[r] = Math.max(largest[r], kind.capacity()[r]);
            }
        }
        for (int r = 0; r < amounts.length; r++) {
            if (largest[r] > 0) {
                share = Math.max(share, (double) amounts[r] / largest[r]);
            }
        }
        return share;
    }

    private static boolean fitsIn(long[] demand, long[] left) {
        for (int r = 0; r < demand.length; r++) {
            if (demand[r] > left[r]) {
                return false;
            }
        }
        return true;
    }

    private Pattern cheapestAlone(int item) {
        long[] demand = items.get(item).demand();
        int cheapest = -1;
        double cheapestPerShare = Double.POSITIVE_INFINITY;
        for (int k = 0; k < kinds.size(); k++) {
            NodeKind kind = kinds.get(k);
            if (kind.accepts(item) && kind.fits(demand)) {
                double perShare = kind.price() / kind.share(demand);
                if (perShare < cheapestPerShare) {
                    cheapest = k;
                    cheapestPerShare = perShare;
                }
            }
        }
        int[] counts = new int[items.size()];
        counts[item] = 1;
        return new Pattern(cheapest, counts);
    }

    private record Pattern(int kind, int[] counts) {}

    /**
     * Nodes alike for the bound: the same capacity and price (kept nodes are free) and accepted by the same item
     * classes; {@code count} of them, {@link BoundSource#UNLIMITED} for an offering.
     */
    private record NodeKind(BitSet accepted, long[] capacity, double price, long count) {

        static List<NodeKind> of(List<BoundSource> sources, List<Item> items) {
            Map<NodeKind, NodeKind> merged = new LinkedHashMap<>();
            for (BoundSource source : sources) {
                BitSet accepted = new BitSet(items.size());
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).podClass().accepts(source)) {
                        accepted.set(i);
                    }
                }
                if (accepted.isEmpty()) {
                    continue;
                }
                NodeKind kind = new NodeKind(
                        accepted, source.capacity(), source.kept() ? 0 : source.price() / 1e6, source.count());
                merged.merge(kind, kind, NodeKind::plus);
            }
            return new ArrayList<>(merged.values());
        }

        boolean isLimited() {
            return count != BoundSource.UNLIMITED;
        }

        boolean accepts(int item) {
            return accepted.get(item);
        }

        boolean fits(long[] demand) {
            for (int r = 0; r < capacity.length; r++) {
                if (demand[r] > capacity[r]) {
                    return false;
                }
            }
            return true;
        }

        double share(long[] demand) {
            double share = 1e-12;
            for (int r = 0; r < capacity.length; r++) {
                if (capacity[r] > 0) {
                    share = Math.max(share, (double) demand[r] / capacity[r]);
                }
            }
            return share;
        }

        NodeKind plus(NodeKind other) {
            boolean unlimited = !isLimited() || !other.isLimited();
            return new NodeKind(accepted, capacity, price, unlimited ? BoundSource.UNLIMITED : count + other.count);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NodeKind other
                    && accepted.equals(other.accepted)
                    && Arrays.equals(capacity, other.capacity)
                    && price == other.price;
        }

        @Override
        public int hashCode() {
            return Objects.hash(accepted, Arrays.hashCode(capacity), price);
        }
    }
}

package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.bound.ItemClasses.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.Relationship;

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
        patterns.addAll(FirstFitPatterns.of(items, kinds));
        FluidPrices fluid = FluidPrices.of(items, kinds);
        if (fluid == null) {
            return 0;
        }
        unitPrices = fluid.perUnit();
        double[] start = fluid.perPod();
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
        return FluidPrices.maximize(objective, constraints);
    }

    private int limitedIndex(int kind) {
        return NodeKind.limitedIndex(kinds, kind);
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
}

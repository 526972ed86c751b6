package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.domain.ResourceIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * Relaxes bin packing to a linear program: buy fractions of nodes so that every resource is covered at once, at the
 * least cost. Pods needing CPU and memory together cannot buy each where it is cheapest, and this bound sees it.
 * <ol>
 *   <li>classes accepting the same nodes form a group; nodes alike (same groups accept them, same capacity and
 *       price) form one column, bought at most as many times as there are such nodes (offerings: unbounded); kept
 *       nodes are free;</li>
 *   <li>per group and resource, the nodes the group accepts cover the demand of every group confined within them;
 *       per resource, all accepted nodes cover all demand;</li>
 *   <li>a column another column of its group beats on every resource and on price is left out: it is never needed;
 *       a row no purchase could satisfy (pods already over their node) is left out, which only loosens the bound.</li>
 * </ol>
 */
final class CoveringProgram {

    private static final double PRICED = 1e-9;
    private static final double SAFETY = 1e-7;

    private CoveringProgram() {}

    static Relaxation of(List<BoundSource> sources, Map<PodClass, long[]> demandByClass, ResourceIndex resources) {
        Map<BitSet, long[]> demandByGroup = new LinkedHashMap<>();
        for (Map.Entry<PodClass, long[]> e : demandByClass.entrySet()) {
            BitSet accepted = new BitSet(sources.size());
            for (int s = 0; s < sources.size(); s++) {
                if (e.getKey().accepts(sources.get(s))) {
                    accepted.set(s);
                }
            }
            add(demandByGroup.computeIfAbsent(accepted, a -> new long[resources.size()]), e.getValue());
        }
        List<BitSet> groups = new ArrayList<>(demandByGroup.keySet());
        List<Column> columns = columns(sources, groups);
        long[] total = new long[resources.size()];
        demandByGroup.values().forEach(d -> add(total, d));

        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < resources.size(); r++) {
            if (total[r] == 0) {
                continue;
            }
            rows.add(new Row(null, r, total[r]));
            for (int g = 0; g < groups.size(); g++) {
                long confined = 0;
                for (BitSet other : groups) {
                    if (isSubset(other, groups.get(g))) {
                        confined += demandByGroup.get(other)[r];
                    }
                }
                if (confined > 0 && confined < total[r]) {
                    rows.add(new Row(g, r, confined));
                }
            }
        }
        rows.removeIf(row -> !satisfiable(row, columns));
        if (rows.isEmpty()) {
            return new Relaxation(0, "kept nodes");
        }
        return solve(rows, columns, total, resources);
    }

    /**
     * Solves the program's dual: a price per unit of each row's demand such that no column is worth more than it
     * costs (less the value of its limited count). Any such prices bound the cost from below, even if the solver
     * stops short of the optimum; the rows priced above zero are what limits the bound.
     */
    private static Relaxation solve(List<Row> rows, List<Column> columns, long[] total, ResourceIndex resources) {
        List<Integer> limited = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).count() != BoundSource.UNLIMITED) {
                limited.add(c);
            }
        }
        int variables = rows.size() + limited.size();
        double[][] coverage = new double[rows.size()][];
        double[] objective = new double[variables];
        for (int i = 0; i < rows.size(); i++) {
            coverage[i] = rows.get(i).coefficients(columns, total);
            objective[i] = (double) rows.get(i).demand() / total[rows.get(i).resource()];
        }
        for (int k = 0; k < limited.size(); k++) {
            objective[rows.size() + k] = -columns.get(limited.get(k)).count();
        }
        List<LinearConstraint> constraints = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            double[] a = new double[variables];
            for (int i = 0; i < rows.size(); i++) {
                a[i] = coverage[i][c];
            }
            int k = limited.indexOf(c);
            if (k >= 0) {
                a[rows.size() + k] = -1;
            }
            constraints.add(
                    new LinearConstraint(a, Relationship.LEQ, columns.get(c).price() / 1e6));
        }
        PointValuePair optimum;
        try {
            optimum = new SimplexSolver()
                    .optimize(
                            new MaxIter(1_000_000),
                            new LinearObjectiveFunction(objective, 0),
                            new LinearConstraintSet(constraints),
                            GoalType.MAXIMIZE,
                            new NonNegativeConstraint(true));
        } catch (MathIllegalStateException unboundedOrTooLong) {
            return new Relaxation(0, "kept nodes");
        }
        long cost = (long) Math.floor(optimum.getValue() * 1e6 * (1 - SAFETY));
        return new Relaxation(Math.max(0, cost), limiting(rows, optimum.getPoint(), objective, resources));
    }

    /** Resources by how much of the bound their rows' prices carry, most first. */
    private static String limiting(List<Row> rows, double[] prices, double[] demand, ResourceIndex resources) {
        Map<String, Double> worth = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            if (prices[i] > PRICED) {
                worth.merge(resources.name(rows.get(i).resource()), prices[i] * demand[i], Double::sum);
            }
        }
        return worth.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(Map.Entry::getKey)
                .reduce((a, b) -> a + "+" + b)
                .orElse("kept nodes");
    }

    private static List<Column> columns(List<BoundSource> sources, List<BitSet> groups) {
        Map<Column, Column> merged = new LinkedHashMap<>();
        for (int s = 0; s < sources.size(); s++) {
            BitSet acceptedBy = new BitSet(groups.size());
            for (int g = 0; g < groups.size(); g++) {
                if (groups.get(g).get(s)) {
                    acceptedBy.set(g);
                }
            }
            if (acceptedBy.isEmpty()) {
                continue;
            }
            BoundSource source = sources.get(s);
            Column column =
                    new Column(acceptedBy, source.capacity(), source.kept() ? 0 : source.price(), source.count());
            merged.merge(column, column, Column::plus);
        }
        List<Column> columns = new ArrayList<>(merged.values());
        columns.removeIf(c ->
                c.count() == BoundSource.UNLIMITED && columns.stream().anyMatch(other -> other != c && other.beats(c)));
        return columns;
    }

    private static boolean satisfiable(Row row, List<Column> columns) {
        double reachable = 0;
        for (Column c : columns) {
            if (row.covers(c) && c.capacity()[row.resource()] > 0) {
                if (c.count() == BoundSource.UNLIMITED) {
                    return true;
                }
                reachable += (double) c.capacity()[row.resource()] * c.count();
            }
        }
        return reachable >= row.demand();
    }

    private static boolean isSubset(BitSet a, BitSet b) {
        BitSet rest = (BitSet) a.clone();
        rest.andNot(b);
        return rest.isEmpty();
    }

    private static void add(long[] total, long[] amounts) {
        for (int i = 0; i < total.length; i++) {
            total[i] += amounts[i];
        }
    }

    /** Demand a row must cover: of one resource, within the nodes group {@code group} accepts, or anywhere (null). */
    private record Row(Integer group, int resource, long demand) {

        boolean covers(Column column) {
            return group == null || column.acceptedBy().get(group);
        }

        double[] coefficients(List<Column> columns, long[] total) {
            double[] a = new double[columns.size()];
            for (int c = 0; c < a.length; c++) {
                if (covers(columns.get(c))) {
                    a[c] = (double) columns.get(c).capacity()[resource] / total[resource];
                }
            }
            return a;
        }
    }

    private record Column(BitSet acceptedBy, long[] capacity, long price, long count) {

        Column plus(Column other) {
            boolean unlimited = count == BoundSource.UNLIMITED || other.count == BoundSource.UNLIMITED;
            return new Column(acceptedBy, capacity, price, unlimited ? BoundSource.UNLIMITED : count + other.count);
        }

        boolean beats(Column other) {
            if (!acceptedBy.equals(other.acceptedBy) || count != BoundSource.UNLIMITED || price > other.price) {
                return false;
            }
            for (int r = 0; r < capacity.length; r++) {
                if (capacity[r] < other.capacity[r]) {
                    return false;
                }
            }
            return price < other.price || !Arrays.equals(capacity, other.capacity);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Column other
                    && acceptedBy.equals(other.acceptedBy)
                    && Arrays.equals(capacity, other.capacity)
                    && price == other.price;
        }

        @Override
        public int hashCode() {
            return Objects.hash(acceptedBy, Arrays.hashCode(capacity), price);
        }
    }
}

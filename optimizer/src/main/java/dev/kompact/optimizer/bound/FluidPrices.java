package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.bound.ItemClasses.Item;
import java.util.ArrayList;
import java.util.List;
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
 * Where {@link PatternProgram}'s prices start: per pod of each item class (then per limited node kind, zero), and
 * per unit of each resource, from the fluid program. They prove about the fluid bound from the first round, and the
 * unit prices weigh resources together in the knapsack's bound.
 */
record FluidPrices(double[] perPod, double[] perUnit) {

    private static final int MAX_PIVOTS = 100_000;

    /**
     * The fluid program's price per share of each resource (all pods together, confinement ignored), and each pod
     * priced at what it asks; null when the program cannot be solved.
     */
    static FluidPrices of(List<Item> items, List<NodeKind> kinds) {
        int limited = (int) kinds.stream().filter(NodeKind::isLimited).count();
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
                a[resources + NodeKind.limitedIndex(kinds, k)] = -1;
                objective[resources + NodeKind.limitedIndex(kinds, k)] = -kind.count();
            }
            constraints.add(new LinearConstraint(a, Relationship.LEQ, kind.price()));
        }
        double[] share = maximize(objective, constraints);
        if (share == null) {
            return null;
        }
        double[] unitPrices = new double[resources];
        for (int r = 0; r < resources; r++) {
            unitPrices[r] = total[r] > 0 ? share[r] / total[r] : 0;
        }
        double[] prices = new double[items.size() + limited];
        for (int i = 0; i < items.size(); i++) {
            for (int r = 0; r < resources; r++) {
                prices[i] += total[r] > 0 ? share[r] * items.get(i).demand()[r] / total[r] : 0;
            }
        }
        return new FluidPrices(prices, unitPrices);
    }

    /** The optimum of a program over non-negative variables; null when it is unbounded or takes too long. */
    static double[] maximize(double[] objective, List<LinearConstraint> constraints) {
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
}

package dev.kompact.executor.execution;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** A node disruption budget ("2", "10%") as a count of nodes. */
public final class NodeBudget {

    private NodeBudget() {}

    /** A percentage rounds up, so any non-zero share allows one node; "0" and "0%" allow none. */
    public static int resolve(String budget, int nodeCount) {
        String text = budget == null ? "" : budget.trim();
        try {
            if (text.endsWith("%")) {
                BigDecimal percent = new BigDecimal(text.substring(0, text.length() - 1));
                if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
                    throw new NumberFormatException();
                }
                return percent.multiply(BigDecimal.valueOf(nodeCount))
                        .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
                        .intValueExact();
            }
            int count = Integer.parseInt(text);
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("disruption budget nodes \"" + budget + "\" is neither a count (\"2\")"
                    + " nor a percentage (\"10%\"); fix it in the OptimizationPolicy");
        }
    }
}

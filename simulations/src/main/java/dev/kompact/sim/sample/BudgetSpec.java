package dev.kompact.sim.sample;

/** A PodDisruptionBudget's spec for one workload: exactly one of the two is set, as a count or a percentage. */
record BudgetSpec(String minAvailable, String maxUnavailable) {

    /**
     * The disruption controller's verdict: healthy pods beyond those the budget must keep. Percentages round up for
     * both fields, as the controller rounds them.
     */
    int disruptionsAllowed(int expectedPods, int healthyPods) {
        int desiredHealthy = minAvailable != null
                ? scaled(minAvailable, expectedPods)
                : expectedPods - scaled(maxUnavailable, expectedPods);
        return Math.max(0, healthyPods - desiredHealthy);
    }

    private static int scaled(String intOrPercent, int expectedPods) {
        if (intOrPercent.endsWith("%")) {
            int percent = Integer.parseInt(intOrPercent.substring(0, intOrPercent.length() - 1));
            return (percent * expectedPods + 99) / 100;
        }
        return Integer.parseInt(intOrPercent);
    }
}

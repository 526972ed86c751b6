package dev.kompact.optimizer.solver;

import java.util.Map;

/**
 * A premium on a spot node's price for the chance that AWS takes it back. The Spot Advisor publishes how often a
 * type is interrupted per month, in buckets; the premium is half the bucket's middle, as a share of the price:
 * a type interrupted 5-10% of months costs 3.75% more than its spot price says.
 */
public final class SpotRisk {

    private static final Map<String, Double> MONTHLY_FREQUENCY =
            Map.of("<5%", 0.025, "5-10%", 0.075, "10-15%", 0.125, "15-20%", 0.175, ">20%", 0.25);
    private static final double UNKNOWN_FREQUENCY = 0.25;

    private SpotRisk() {}

    public static long premiumMicros(long spotPriceMicros, String interruptionFrequency) {
        double frequency = interruptionFrequency == null
                ? UNKNOWN_FREQUENCY
                : MONTHLY_FREQUENCY.getOrDefault(interruptionFrequency, UNKNOWN_FREQUENCY);
        return Math.round(spotPriceMicros * frequency / 2);
    }
}

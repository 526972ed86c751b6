package dev.kompact.optimizer.domain;

/**
 * How far a load reaches into the headroom kept on some capacity: one node's ({@link NodeSlot}) or the used nodes'
 * together (a cluster-wide headroom). What exceeds capacity is the capacity rule's, so free room counts from zero.
 */
public final class HeadroomShortfall {

    private HeadroomShortfall() {}

    /** Summed over resources, in score units. */
    public static long units(ResourceIndex resources, long[] capacity, long[] load, long[] reserve) {
        long shortfall = 0;
        for (int i = 0; i < capacity.length; i++) {
            shortfall += resources.scoreUnits(i, of(i, capacity, load, reserve));
        }
        return shortfall;
    }

    /** The share of {@code priceMicros} the missing room is worth: the largest share of a resource's capacity. */
    public static long micros(long[] capacity, long[] load, long[] reserve, long priceMicros) {
        double share = 0;
        for (int i = 0; i < capacity.length; i++) {
            if (capacity[i] > 0) {
                share = Math.max(share, (double) of(i, capacity, load, reserve) / capacity[i]);
            }
        }
        return Math.round(priceMicros * share);
    }

    private static long of(int i, long[] capacity, long[] load, long[] reserve) {
        return Math.max(0, reserve[i] - Math.max(capacity[i] - load[i], 0));
    }
}

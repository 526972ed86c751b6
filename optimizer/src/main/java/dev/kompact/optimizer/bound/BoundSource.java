package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.model.Taint;
import java.util.List;
import java.util.Map;

/**
 * Capacity a lower bound may buy: {@code count} nodes alike ({@link #UNLIMITED} for an offering), each giving
 * {@code capacity} for {@code price}; a kept node is already paid for, so its capacity is free.
 */
record BoundSource(
        Map<String, String> labels,
        List<Taint> taints,
        String zone,
        long price,
        long[] capacity,
        long count,
        boolean kept) {

    static final long UNLIMITED = Long.MAX_VALUE;

    double unitPrice(int resource) {
        return kept ? 0 : (double) price / capacity[resource];
    }
}

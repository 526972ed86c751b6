package dev.kompact.sim.packing;

/**
 * One solver's answer on one set: cost, its ratio to the set's lower bound, when every pod first had a valid place
 * and when the best was found (ms from the start, -1 if never), the whole run's wall time, why the search stopped,
 * and the rules the independent check found broken (0 for a valid plan).
 */
public record PackingRun(
        long costMicros,
        double costPerBound,
        long firstFeasibleMillis,
        long bestMillis,
        long wallMillis,
        String stoppedBecause,
        int violations) {}

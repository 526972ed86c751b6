package dev.kompact.agent.migration;

/**
 * When pre-copy stops pre-dumping and takes its final dump: after {@code maxRounds}, once a round's dirty pages fit
 * in {@code smallEnoughBytes} (the final dump of those is short), or as soon as a round dirtied no fewer pages than
 * the one before (the workload dirties memory as fast as it is copied: more rounds only cost time).
 */
final class PreCopyRounds {
    static final int MAX_ROUNDS = 5;
    static final long SMALL_ENOUGH_BYTES = 16L << 20;

    private final int maxRounds;
    private final long smallEnoughBytes;
    private int rounds;
    private long previousBytes = Long.MAX_VALUE;

    PreCopyRounds(int maxRounds, long smallEnoughBytes) {
        if (maxRounds < 1) {
            throw new IllegalArgumentException("pre-copy needs at least one round, not " + maxRounds);
        }
        this.maxRounds = maxRounds;
        this.smallEnoughBytes = smallEnoughBytes;
    }

    static PreCopyRounds standard() {
        return new PreCopyRounds(MAX_ROUNDS, SMALL_ENOUGH_BYTES);
    }

    /** Records a finished round that wrote {@code dirtyBytes} of pages; says whether another round is worth it. */
    boolean another(long dirtyBytes) {
        rounds++;
        boolean shrinking = dirtyBytes < previousBytes;
        previousBytes = dirtyBytes;
        return rounds < maxRounds && shrinking && dirtyBytes > smallEnoughBytes;
    }

    int rounds() {
        return rounds;
    }
}

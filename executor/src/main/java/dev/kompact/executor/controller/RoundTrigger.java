package dev.kompact.executor.controller;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets an urgent plan cut the wait between rounds short, and tells a running round to yield to it at its next look.
 * Firing twice before the next round is the same as firing once.
 */
final class RoundTrigger {

    private final Semaphore fired = new Semaphore(0);

    synchronized void fire() {
        if (fired.availablePermits() == 0) {
            fired.release();
        }
    }

    boolean isFired() {
        return fired.availablePermits() > 0;
    }

    /** Returns when fired or after {@code timeout}, and resets the trigger. */
    void await(Duration timeout) throws InterruptedException {
        fired.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        fired.drainPermits();
    }
}

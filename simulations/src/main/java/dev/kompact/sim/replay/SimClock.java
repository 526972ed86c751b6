package dev.kompact.sim.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulator's time as a {@link Clock}, for the executor: seconds from the trace's start, from the epoch. */
final class SimClock extends Clock {

    private final Simulator simulator;

    SimClock(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return simulator.instant();
    }
}

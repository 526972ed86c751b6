package dev.kompact.sim.replay;

import java.util.PriorityQueue;

/** The events still due, in time order and, at one instant, in the order they were scheduled. */
final class EventQueue {

    private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long sequence;

    void at(long time, Runnable action) {
        events.add(new Event(time, sequence++, action));
    }

    boolean isEmpty() {
        return events.isEmpty();
    }

    /** When the next event is due, or {@link Long#MAX_VALUE} when none is. */
    long nextTime() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peek().time();
    }

    /** Carries out every event due at {@link #nextTime}, those they schedule for the same instant included. */
    void runNext() {
        long time = nextTime();
        while (!events.isEmpty() && events.peek().time() == time) {
            events.poll().action().run();
        }
    }
}

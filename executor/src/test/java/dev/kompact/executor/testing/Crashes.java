package dev.kompact.executor.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Counts the writes the executor makes through its ports (to Kubernetes, to the cloud, to its journal) and stops
 * it dead at one of them, before or after the write reaches its target: a controller killed at that instant.
 */
public final class Crashes {

    /**
     * Thrown in place of the process dying; an Error, since the executor bounds a step's exceptions and must not
     * catch this one.
     */
    public static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    public enum When {
        BEFORE,
        AFTER
    }

    private final int crashAt;
    private final Predicate<String> crashOn;
    private final When when;
    private final List<String> writes = new ArrayList<>();
    private boolean crashed;

    /** @param crashAt the 1-based write to crash at; 0 never crashes */
    public Crashes(int crashAt, When when) {
        this(crashAt, what -> false, when);
    }

    private Crashes(int crashAt, Predicate<String> crashOn, When when) {
        this.crashAt = crashAt;
        this.crashOn = crashOn;
        this.when = when;
    }

    /**
     * Crashes at the first write {@code write} matches, as {@link CrashingPorts} names them ("migrate ID", "create pod
     * NAME", "delete pod NAME", ...): for tests whose writes are too slow to crash at each in turn.
     */
    public static Crashes atFirst(Predicate<String> write, When when) {
        return new Crashes(0, write, when);
    }

    public static Crashes never() {
        return new Crashes(0, When.BEFORE);
    }

    public synchronized <T> T write(String what, Supplier<T> write) {
        writes.add(what);
        boolean here = !crashed && (writes.size() == crashAt || crashOn.test(what));
        crashed |= here;
        if (here && when == When.BEFORE) {
            throw new SimulatedCrash("crash before write " + crashAt + ": " + what);
        }
        T result = write.get();
        if (here) {
            throw new SimulatedCrash("crash after write " + crashAt + ": " + what);
        }
        return result;
    }

    public synchronized void write(String what, Runnable write) {
        write(what, () -> {
            write.run();
            return null;
        });
    }

    /** The writes made (or, the one crashed at, about to be made), in order. */
    public synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    public synchronized int count() {
        return writes.size();
    }
}

package dev.kompact.sim.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Watches the heap while a run lasts: the largest used heap seen by polling {@link MemoryMXBean} every few
 * milliseconds (it may miss a spike between two polls; it never includes garbage collected before), and the time
 * the collectors spent.
 */
final class HeapSampler implements AutoCloseable {

    private static final long PERIOD_MILLIS = 10;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long gcMillisAtStart = gcMillis();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peakBytes;

    HeapSampler() {
        peakBytes = memory.getHeapMemoryUsage().getUsed();
        thread = new Thread(this::poll, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    long peakBytes() {
        return Math.max(peakBytes, memory.getHeapMemoryUsage().getUsed());
    }

    long gcMillisSinceStart() {
        return gcMillis() - gcMillisAtStart;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private void poll() {
        while (running) {
            peakBytes = Math.max(peakBytes, memory.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(t -> t > 0)
                .sum();
    }
}

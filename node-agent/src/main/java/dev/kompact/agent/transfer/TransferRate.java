package dev.kompact.agent.transfer;

/** Caps the bytes per second a migration puts on the node's network, so that moving a pod does not starve others. */
public final class TransferRate {
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long sent;

    /** @param bytesPerSecond zero or less: unlimited */
    public TransferRate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    public void acquire(int bytes) {
        sent += bytes;
        if (bytesPerSecond <= 0) {
            return;
        }
        long dueNanos = sent * 1_000_000_000L / bytesPerSecond;
        long waitNanos = dueNanos - (System.nanoTime() - start);
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("image transfer interrupted", e);
            }
        }
    }
}

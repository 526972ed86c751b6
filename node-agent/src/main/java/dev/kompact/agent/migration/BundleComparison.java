package dev.kompact.agent.migration;

import dev.kompact.agent.DaemonThreads;
import dev.kompact.agent.transfer.TreeSnapshot;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a container changed its bundle since the bundle was sent to the target. Walking a rootfs takes 5-15 ms;
 * post-copy starts it as soon as the container is paused (it cannot write any more) and CRIU's dump hides it.
 */
final class BundleComparison {
    private final TreeSnapshot sent;
    private final Path bundle;
    private CompletableFuture<Optional<String>> difference;

    BundleComparison(TreeSnapshot sent, Path bundle) {
        this.sent = sent;
        this.bundle = bundle;
    }

    /** Call once the container can no longer write. */
    synchronized void start() {
        if (difference == null) {
            difference = CompletableFuture.supplyAsync(
                    () -> sent.differenceFrom(TreeSnapshot.of(bundle)), DaemonThreads.named("bundle-comparison"));
        }
    }

    /** The first difference found, if any; compares now unless {@link #start} did already. */
    Optional<String> difference() {
        start();
        return difference.join();
    }
}

package dev.kompact.executor.cloud;

import java.time.Instant;
import java.util.Optional;

/** What the cloud announced about one of the cluster's instances, from its interruption queue. */
public sealed interface InterruptionNotice {

    String instanceId();

    /**
     * When the instance's pods must be elsewhere; empty when there is nothing left to move them ahead of (the
     * instance already stopped).
     */
    Optional<Instant> evacuateBy();

    /** Spot reclaims the instance at {@code deadline}, two minutes after the warning. */
    record SpotInterruption(String instanceId, Instant deadline) implements InterruptionNotice {
        @Override
        public Optional<Instant> evacuateBy() {
            return Optional.of(deadline);
        }
    }

    /** The instance's spot pool is at elevated risk; moving now beats the two-minute warning. */
    record RebalanceRecommendation(String instanceId, Instant at) implements InterruptionNotice {
        @Override
        public Optional<Instant> evacuateBy() {
            return Optional.of(at);
        }
    }

    /** AWS Health scheduled a change (retirement, maintenance reboot) for the instance, starting at {@code start}. */
    record ScheduledChange(String instanceId, String eventType, Instant start) implements InterruptionNotice {
        @Override
        public Optional<Instant> evacuateBy() {
            return Optional.of(start);
        }
    }

    /** The instance entered {@code state} (e.g. stopping, terminated), whoever caused it. */
    record StateChange(String instanceId, String state, Instant at) implements InterruptionNotice {
        @Override
        public Optional<Instant> evacuateBy() {
            return Optional.empty();
        }
    }
}

package dev.kompact.aws;

import java.time.Instant;

/** What EC2 announced about one of the cluster's instances, from the interruption queue. */
public sealed interface InterruptionNotice {

  String instanceId();

  /** Spot reclaims the instance at {@code deadline}, two minutes after the warning. */
  record SpotInterruption(String instanceId, Instant deadline) implements InterruptionNotice {
  }

  /** The instance's spot pool is at elevated risk; moving early beats the two-minute warning. */
  record RebalanceRecommendation(String instanceId, Instant at) implements InterruptionNotice {
  }

  /** The instance entered {@code state} (e.g. stopping, terminated), whoever caused it. */
  record StateChange(String instanceId, String state, Instant at) implements InterruptionNotice {
  }
}

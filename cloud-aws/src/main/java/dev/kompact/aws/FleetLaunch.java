package dev.kompact.aws;

import dev.kompact.executor.cloud.LaunchedInstance;
import java.util.List;

/** The instance a launch got, the placement that gave it, and the placements tried before it without success. */
public record FleetLaunch(LaunchedInstance instance, Placement placement, List<FleetAttempt> unfilled) {

  public FleetLaunch {
    unfilled = List.copyOf(unfilled);
  }
}

package dev.kompact.sim.bench;

import dev.kompact.sim.baseline.BaselineResult;

/** A baseline's end state on one cluster, the violations the audit found in it, or why it failed. */
record BaselineRun(String policy, BaselineResult result, int violations, Throwable failure) {}

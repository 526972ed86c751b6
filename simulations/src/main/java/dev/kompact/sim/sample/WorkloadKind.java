package dev.kompact.sim.sample;

/** What owns a sample workload's pods; {@code POD} is a bare pod that no controller recreates. */
enum WorkloadKind {
    DEPLOYMENT,
    STATEFUL_SET,
    DAEMON_SET,
    POD
}

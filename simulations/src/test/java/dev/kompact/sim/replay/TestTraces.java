package dev.kompact.sim.replay;

import java.time.Duration;
import java.util.List;

/** Small hand-made traces, and settings without randomness in the delays: provisioning 60 s, restart 30 s. */
final class TestTraces {

    static final long GIB = 1024L * 1024 * 1024;
    static final TraceOfferings OFFERINGS = new TraceOfferings();

    private TestTraces() {}

    static SimSettings settings(double liveShare) {
        return new SimSettings(
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                liveShare,
                ScoringPolicy.LEAST_ALLOCATED,
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                Duration.ofHours(1),
                false);
    }

    static TracePod pod(String name, long cpuMillis, long created, long deleted) {
        return new TracePod(name, name, cpuMillis, GIB, 0, created, deleted, false);
    }

    static Trace trace(TracePod... pods) {
        return new Trace("test", List.of(pods), List.of());
    }

    static RunResult run(Trace trace, String policy, SimSettings settings, long seed) {
        return new Simulator(
                        trace,
                        settings,
                        Policies.create(policy, trace, OFFERINGS, seed),
                        seed,
                        OFFERINGS,
                        ProgressListener.NONE)
                .run();
    }

    /**
     * Four pods of 900m fill one c5.xlarge (3,920m allocatable, $0.17/h) from t=0; three leave at 30 min and the
     * fourth runs alone until 2 h: a c5.large (1,930m, $0.085/h) would hold it.
     */
    static Trace shrinking() {
        return trace(pod("a", 900, 0, 7200), pod("b", 900, 0, 1800), pod("c", 900, 0, 1800), pod("d", 900, 0, 1800));
    }

    /**
     * Two 1,500m pods each need a node of their own; a 300m pod joins the first; when that node's big pod leaves at
     * 20 min, the small one is stranded on it though the other node has room for it, until 1 h.
     */
    static Trace stranded() {
        return trace(pod("big-1", 1500, 0, 1200), pod("big-2", 1500, 300, 3600), pod("small", 300, 600, 3600));
    }
}

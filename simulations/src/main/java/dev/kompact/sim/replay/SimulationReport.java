package dev.kompact.sim.replay;

import java.util.List;

/** Every run of a simulation: each policy with each seed, over one trace. */
public record SimulationReport(
        String apiVersion,
        String kind,
        String trace,
        long simulatedSeconds,
        String interval,
        String scheduler,
        boolean fixedFleet,
        double liveShare,
        List<String> policies,
        List<Long> seeds,
        long wallMillis,
        List<RunResult> runs) {

    public static final String API_VERSION = "kompact.dev/v1alpha1";
    public static final String KIND = "SimulationReport";

    public List<RunResult> runsOf(String policy) {
        return runs.stream().filter(r -> r.policy().equals(policy)).toList();
    }
}

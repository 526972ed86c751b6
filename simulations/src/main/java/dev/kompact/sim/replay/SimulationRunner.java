package dev.kompact.sim.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Replays one trace for every policy and seed, one run after another, each from a fresh simulator. */
public final class SimulationRunner {

    private final SimSettings settings;
    private final ProgressListener progress;

    public SimulationRunner(SimSettings settings, ProgressListener progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** @param limit replay only the first part of the trace when not null */
    public SimulationReport run(String trace, List<String> policies, int seeds, Duration limit) {
        long start = System.nanoTime();
        TraceOfferings offerings = new TraceOfferings();
        List<RunResult> runs = new ArrayList<>();
        List<Long> seedList = new ArrayList<>();
        long simulated = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            seedList.add(seed);
            Trace replayed = Traces.load(trace, seed);
            if (limit != null) {
                replayed = replayed.until(limit.toSeconds());
            }
            simulated = replayed.endSeconds();
            for (String id : policies) {
                Policy policy = Policies.create(id, replayed, offerings, seed);
                runs.add(new Simulator(replayed, settings, policy, seed, offerings, progress).run());
            }
        }
        return new SimulationReport(
                SimulationReport.API_VERSION,
                SimulationReport.KIND,
                trace,
                simulated,
                settings.interval().toString(),
                settings.scoring().name(),
                settings.fixedFleet(),
                settings.liveShare(),
                List.copyOf(policies),
                seedList,
                (System.nanoTime() - start) / 1_000_000,
                runs);
    }
}

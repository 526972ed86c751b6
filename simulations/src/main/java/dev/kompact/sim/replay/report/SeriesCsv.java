package dev.kompact.sim.replay.report;

import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.Sample;
import java.util.Locale;

/** One run's samples as CSV: dollars per hour, CPU in cores, memory in GiB. */
public final class SeriesCsv {

    static final String HEADER = "seconds,nodes,price_per_hour,requested_cpu,requested_memory_gib,requested_gpu,"
            + "provisioned_cpu,provisioned_memory_gib,provisioned_gpu,pending_pods,lower_bound_per_hour";
    private static final double GIB = 1024.0 * 1024 * 1024;

    private SeriesCsv() {}

    public static String of(RunResult run) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Sample s : run.samples()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%.4f,%.3f,%.3f,%d,%.3f,%.3f,%d,%d,%s%n",
                    s.seconds(),
                    s.nodes(),
                    s.pricePerHourMicros() / 1e6,
                    s.requestedCpuMillis() / 1000.0,
                    s.requestedMemoryBytes() / GIB,
                    s.requestedGpus(),
                    s.provisionedCpuMillis() / 1000.0,
                    s.provisionedMemoryBytes() / GIB,
                    s.provisionedGpus(),
                    s.pendingPods(),
                    s.lowerBoundPerHourMicros() < 0
                            ? ""
                            : String.format(Locale.ROOT, "%.4f", s.lowerBoundPerHourMicros() / 1e6)));
        }
        return out.toString();
    }
}

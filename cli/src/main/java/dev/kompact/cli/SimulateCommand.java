package dev.kompact.cli;

import dev.kompact.sim.replay.Policies;
import dev.kompact.sim.replay.ScoringPolicy;
import dev.kompact.sim.replay.SimSettings;
import dev.kompact.sim.replay.SimulationReport;
import dev.kompact.sim.replay.SimulationRunner;
import dev.kompact.sim.replay.Traces;
import dev.kompact.sim.replay.report.ReportFiles;
import dev.kompact.sim.replay.report.SummaryTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "simulate",
        description = "Replay a trace of pods through Kompact (the real planner and executor on a"
                + " simulated cluster) and the alternatives; print a summary and write simulation.json, CSV series and"
                + " simulation.html.")
final class SimulateCommand implements Callable<Integer> {

    @Option(
            names = "--trace",
            required = true,
            paramLabel = "FILE-or-NAME",
            description = "A pod list in the Alibaba GPU trace's CSV format (plain or .gz, with"
                    + " openb_node_list_all_node.csv beside it for --fleet), or a bundled name: alibaba,"
                    + " alibaba-cpu050, alibaba-gpushare40, alibaba-gpuspec33, karpenter-scale, karpenter-wide,"
                    + " karpenter-spread")
    String trace;

    @Option(
            names = "--policy",
            split = ",",
            paramLabel = "POLICY",
            defaultValue = "kompact,karpenter,ca,none",
            description = "Policies to compare (default: ${DEFAULT-VALUE})")
    List<String> policies;

    @Option(
            names = "--seeds",
            paramLabel = "N",
            defaultValue = "1",
            description = "Runs per policy, seeded 1..N (default: ${DEFAULT-VALUE})")
    int seeds;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How often a policy may consolidate (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(
            names = "--until",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Replay only the trace's first DURATION (e.g. 72h)")
    Duration until;

    @Option(names = "--fleet", description = "Start from the trace's own nodes mapped to EC2 offerings, not empty")
    boolean fleet;

    @Option(
            names = "--solve-limit",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "The Kompact planner's time limit per plan (default: ${DEFAULT-VALUE})")
    Duration solveLimit;

    @Option(
            names = "--live-share",
            paramLabel = "FRACTION",
            defaultValue = "0.5",
            description = "Share of pods that opt in to live migration (kompact.dev/live-migrate), drawn per pod from"
                    + " the seed; the others are evicted when Kompact moves them (default: ${DEFAULT-VALUE})")
    double liveShare;

    @Option(
            names = "--scheduler",
            paramLabel = "SCORING",
            defaultValue = "LEAST_ALLOCATED",
            description = "The simulated scheduler's scoring: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    ScoringPolicy scoring;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "kompact-simulation",
            description = "Directory for the files (default: ./${DEFAULT-VALUE}/)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String policy : policies) {
            if (!Policies.IDS.contains(policy)) {
                throw new IllegalArgumentException("no policy named " + policy + "; policies: " + Policies.IDS);
            }
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1");
        }
        if (!(liveShare >= 0 && liveShare <= 1)) {
            throw new IllegalArgumentException("--live-share must be a fraction from 0 to 1, not " + liveShare);
        }
        Traces.load(trace, 1);
        SimSettings defaults = SimSettings.defaults(interval);
        SimSettings settings = new SimSettings(
                interval,
                defaults.provisioningMin(),
                defaults.provisioningMax(),
                defaults.restartDelay(),
                defaults.liveFreeze(),
                liveShare,
                scoring,
                solveLimit,
                defaults.sampleStep(),
                defaults.boundStep(),
                fleet);
        SimulationProgress progress = new SimulationProgress(spec.commandLine().getErr(), policies.size() * seeds);
        SimulationReport report = new SimulationRunner(settings, progress).run(trace, policies, seeds, until);
        progress.done();
        List<Path> written = ReportFiles.write(report, out);
        var stdout = spec.commandLine().getOut();
        stdout.print(SummaryTable.render(report));
        stdout.println("Wrote " + written.size() + " files to " + out + ": " + ReportFiles.JSON + ", "
                + ReportFiles.HTML + ", series-*.csv");
        return 0;
    }
}

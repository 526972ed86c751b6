package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

    /** Three pods in the Alibaba trace's format: two share the first hour, one runs alone in the second. */
    private static final String PODS = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            p-0,1500,1024,0,0,,LS,Running,0,3600,0
            p-1,1500,1024,0,0,,LS,Running,60,3600,60
            p-2,300,1024,0,0,,LS,Running,120,7200,120
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void simulatePrintsTheSummaryAndWritesJsonCsvAndHtml() throws Exception {
        Path trace = Files.writeString(dir.resolve("pods.csv"), PODS);
        Path outDir = dir.resolve("out");

        int code = run(
                "simulate",
                "--trace",
                trace.toString(),
                "--policy",
                "karpenter,none",
                "--seeds",
                "2",
                "--interval",
                "10m",
                "--out",
                outDir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("karpenter").contains("none").contains("node-hours");
        assertThat(err.toString()).contains("ETA");
        JsonNode json =
                new ObjectMapper().readTree(outDir.resolve("simulation.json").toFile());
        assertThat(json.at("/kind").asText()).isEqualTo("SimulationReport");
        assertThat(json.at("/runs")).hasSize(4);
        assertThat(json.at("/runs/0/samples").size()).isGreaterThan(1);
        assertThat(outDir.resolve("series-karpenter-seed2.csv")).exists();
        assertThat(Files.readString(outDir.resolve("simulation.html"))).contains("<script id=\"data\"");
    }

    /**
     * Two nodes each keep one small pod once the large ones leave: Kompact moves one of the two, live when every pod
     * opted in, by eviction when none did.
     */
    @Test
    void liveShareSaysWhichPodsKompactMovesLive() throws Exception {
        Path trace = Files.writeString(dir.resolve("pods.csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                p-0,1500,1024,0,0,,LS,Running,0,3600,0
                p-1,1500,1024,0,0,,LS,Running,60,3600,60
                p-2,300,1024,0,0,,LS,Running,300,10800,300
                p-3,300,1024,0,0,,LS,Running,360,10800,360
                """);

        JsonNode everyPod = simulateKompact(trace, "1");
        JsonNode noPod = simulateKompact(trace, "0");

        assertThat(everyPod.at("/liveShare").asDouble()).isEqualTo(1.0);
        assertThat(everyPod.at("/runs/0/liveMigrations").asInt()).isPositive();
        assertThat(everyPod.at("/runs/0/evictions").asInt()).isZero();
        assertThat(noPod.at("/runs/0/liveMigrations").asInt()).isZero();
        assertThat(noPod.at("/runs/0/evictions").asInt()).isPositive();
    }

    @Test
    void aLiveShareOutsideZeroToOneIsBadInput() throws Exception {
        Path trace = Files.writeString(dir.resolve("pods.csv"), PODS);

        int code = run("simulate", "--trace", trace.toString(), "--live-share", "1.5");

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString()).contains("--live-share must be a fraction from 0 to 1, not 1.5");
    }

    private JsonNode simulateKompact(Path trace, String liveShare) throws Exception {
        Path outDir = dir.resolve("out-" + liveShare);
        int code = run(
                "simulate",
                "--trace",
                trace.toString(),
                "--policy",
                "kompact",
                "--interval",
                "10m",
                "--solve-limit",
                "1s",
                "--live-share",
                liveShare,
                "--out",
                outDir.toString());
        assertThat(code).as(err.toString()).isZero();
        return new ObjectMapper().readTree(outDir.resolve("simulation.json").toFile());
    }

    @Test
    void unknownPolicyIsBadInput() throws Exception {
        Path trace = Files.writeString(dir.resolve("pods.csv"), PODS);

        int code = run("simulate", "--trace", trace.toString(), "--policy", "kompact,magic");

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString()).contains("no policy named magic");
    }

    @Test
    void unknownTraceIsBadInput() {
        int code = run("simulate", "--trace", dir.resolve("missing.csv").toString());

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString()).contains("no trace named or at");
    }

    private int run(String... args) {
        CommandLine cli = Kompact.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}

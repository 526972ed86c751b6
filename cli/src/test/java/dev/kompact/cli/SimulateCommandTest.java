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

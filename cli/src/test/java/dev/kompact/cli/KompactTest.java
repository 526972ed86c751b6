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

class KompactTest {

    private static final String TWO_NODES = """
            {"apiVersion": "kompact.dev/v1alpha1", "kind": "ClusterSnapshot", "metadata": {"name": "two"},
             "nodes": [
               {"name": "a", "instanceType": "m5.large", "zone": "us-east-1a",
                "allocatable": {"cpu": "1930m", "memory": "6903Mi", "pods": "29"}},
               {"name": "b", "instanceType": "m5.large", "zone": "us-east-1a",
                "allocatable": {"cpu": "1930m", "memory": "6903Mi", "pods": "29"}}],
             "pods": [
               {"namespace": "shop", "name": "web-1", "node": "a", "owner": {"kind": "ReplicaSet", "name": "web-1"},
                "requests": {"cpu": "500m", "memory": "1Gi"}},
               {"namespace": "shop", "name": "web-2", "node": "b", "owner": {"kind": "ReplicaSet", "name": "web-1"},
                "requests": {"cpu": "500m", "memory": "1Gi"}}],
             "offerings": []}""";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void reportPrintsSavingsAndWritesPlanAndHtml() throws Exception {
        Path snapshot = write("two.json", TWO_NODES);
        Path outDir = dir.resolve("out");

        int code = run("report", "--snapshot", snapshot.toString(), "--time-limit", "5s", "--out", outDir.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("two").contains("0.1920").contains("0.0960");
        JsonNode plan = new ObjectMapper().readTree(outDir.resolve("plan.json").toFile());
        assertThat(plan.at("/costBefore/perHour").decimalValue()).isEqualByComparingTo("0.192");
        assertThat(plan.at("/costAfter/perHour").decimalValue()).isEqualByComparingTo("0.096");
        assertThat(Files.readString(outDir.resolve("report.html"))).contains("<svg");
    }

    @Test
    void planPrintsThePlanAsJsonOnStdout() throws Exception {
        Path snapshot = write("two.json", TWO_NODES);

        int code = run("plan", "--snapshot", snapshot.toString(), "--time-limit", "5s");

        assertThat(code).isZero();
        JsonNode plan = new ObjectMapper().readTree(out.toString());
        assertThat(plan.at("/lowerBound/cost/perHour").isNumber()).isTrue();
        assertThat(plan.get("nodesRemoved")).hasSize(1);
        assertThat(plan.get("moves")).hasSize(1);
        assertThat(plan.at("/moves/0/pod").asText()).startsWith("shop/web-");
        assertThat(plan.get("nodesAdded").isArray()).isTrue();
        assertThat(plan.get("unplacedPods").isArray()).isTrue();
    }

    @Test
    void plansTheBundledSampleWhenNoSnapshotIsGiven() throws Exception {
        int code = run("plan", "--time-limit", "3s");

        assertThat(code).isZero();
        JsonNode plan = new ObjectMapper().readTree(out.toString());
        assertThat(plan.get("cluster").asText()).isEqualTo("sample");
        assertThat(plan.at("/costAfter/perHour").decimalValue())
                .isLessThan(plan.at("/costBefore/perHour").decimalValue());
    }

    @Test
    void unknownFlagIsOneLineErrorWithExitCode2() {
        int code = run("report", "--snapshto", "x.json");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n").startsWith("kompact: Unknown option");
    }

    @Test
    void missingSnapshotFileIsExitCode2() {
        int code = run("plan", "--snapshot", dir.resolve("absent.json").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).endsWith("absent.json: no such file").doesNotContain("\tat ");
    }

    @Test
    void malformedSnapshotNamesEachProblemWithExitCode2() throws Exception {
        Path snapshot =
                write("bad.json", TWO_NODES.replace("\"500m\"", "\"12x\"").replace("\"m5.large\"", "\"m99.none\""));

        int code = run("plan", "--snapshot", snapshot.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("is not a valid ClusterSnapshot")
                .contains("pods[0].requests.cpu: \"12x\" is not a quantity")
                .contains("nodes[0].pricePerHour: missing, and the catalogue has no on-demand price")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badTimeLimitIsExitCode2() {
        int code = run("plan", "--time-limit", "soon");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void snapshotWithNoValidPlanIsExitCode1() throws Exception {
        Path snapshot = write(
                "over.json",
                TWO_NODES
                        .replace("\"owner\": {\"kind\": \"ReplicaSet\", \"name\": " + "\"web-1\"},", "")
                        .replace("\"node\": \"b\"", "\"node\": \"a\"")
                        .replace("\"500m\"", "\"1500m\""));

        int code = run("plan", "--snapshot", snapshot.toString(), "--time-limit", "1s");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("no valid plan").contains("Node resource capacity");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void controllerRefusesToStartWithoutALeaseNamespace() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("POD_NAMESPACE") == null);

        int code = run("controller", "--kubeconfig", dir.resolve("absent").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--lease-namespace");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void controllerWithLiveMigrationRefusesToStartWithoutItsTlsIdentityNamingTheFile() {
        int code = run(
                "controller",
                "--lease-namespace",
                "kompact",
                "--live-migration",
                "--agent-tls-dir",
                dir.resolve("no-tls").toString(),
                "--kubeconfig",
                dir.resolve("absent").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(dir.resolve("no-tls").resolve("tls.crt").toString(), "missing");
    }

    @Test
    void benchPackingPrintsKompactAndThePeerPerSet() {
        int code = run("bench", "packing", "--shapes", "cpu-bound", "--nodes", "5", "--time-limit", "1s");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("| cpu-bound | 5 | 15 |").contains("Kompact/peer");
    }

    @Test
    void benchPackingRefusesAnUnknownShapeWithExitCode2() {
        int code = run("bench", "packing", "--shapes", "huge");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown packing shape 'huge'");
    }

    private int run(String... args) {
        CommandLine cli = Kompact.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }
}

package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.optimizer.catalog.CatalogFile;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kompact prices} and the {@code --prices} catalogue it writes, for a cluster outside us-east-1. */
class PricesCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void refusesARegionThatIsNoRegion() {
        int code = run("prices", "--region", "europe");

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString()).contains("\"europe\" is not an AWS region name such as us-east-1");
    }

    @Test
    void saysWhichRegionAndEndpointItCouldNotReadAndWritesNothing() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "secret");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path file = dir.resolve("eu.json");

        int code = run(
                "prices",
                "--region",
                "eu-west-1",
                "--aws-endpoint",
                "http://127.0.0.1:" + closedPort,
                "--out",
                file.toString());

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString())
                .contains(
                        "cannot read eu-west-1's instance types and prices from AWS at http://127.0.0.1:" + closedPort);
        assertThat(file).doesNotExist();
    }

    @Test
    void snapshotPricesNodesFromTheirRegionsCatalogue() throws Exception {
        Path prices = dir.resolve("eu.json");
        CatalogFile.write(ireland(), "test", prices);
        Path dump = irelandDump();

        int code = run("snapshot", "--from-kubectl", dump.toString(), "--prices", prices.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode snapshot = new ObjectMapper().readTree(out.toString());
        // the m5.large spot node at eu-west-1's price, twice the bundled us-east-1 one
        assertThat(snapshot.at("/nodes/0/pricePerHour").decimalValue()).isEqualByComparingTo("0.06528");
        assertThat(err.toString()).doesNotContain("priced at").doesNotContain("without a known");
    }

    @Test
    void withoutPricesSaysTheNodesArePricedAtAnotherRegionsRatesAndHowToFixIt() throws Exception {
        int code = run("snapshot", "--from-kubectl", irelandDump().toString());

        assertThat(code).isZero();
        assertThat(err.toString())
                .contains("2 nodes in eu-west-1 priced at us-east-1 rates")
                .contains("'kompact prices --region eu-west-1'");
    }

    @Test
    void reportNamesAsARiskOnlyTheNodesOutsideItsCataloguesRegion() throws Exception {
        Path prices = dir.resolve("eu.json");
        CatalogFile.write(ireland(), "test", prices);
        Path dump = irelandDump();
        Path bundled = dir.resolve("bundled");
        Path own = dir.resolve("own");

        int withoutPrices =
                run("report", "--snapshot", dump.toString(), "--time-limit", "2s", "--out", bundled.toString());
        int withPrices = run(
                "report",
                "--snapshot",
                dump.toString(),
                "--prices",
                prices.toString(),
                "--time-limit",
                "2s",
                "--out",
                own.toString());

        assertThat(withoutPrices).as(err.toString()).isZero();
        assertThat(withPrices).as(err.toString()).isZero();
        assertThat(Files.readString(bundled.resolve("report.html")))
                .contains("2 nodes are outside us-east-1, the price catalogue&#39;s region");
        assertThat(Files.readString(own.resolve("report.html"))).doesNotContain("nodes are outside");
    }

    @Test
    void aBadCatalogueIsBadInputNamingTheFile() throws Exception {
        Path prices = Files.writeString(dir.resolve("eu.json"), "{\"region\": \"eu-west-1\"}");

        int code = run(
                "report",
                "--prices",
                prices.toString(),
                "--out",
                dir.resolve("out").toString());

        assertThat(code).isEqualTo(Kompact.BAD_INPUT);
        assertThat(err.toString()).contains(prices + " has 1 problem(s): instanceTypes: missing or empty");
    }

    /** The bundled types at twice their us-east-1 prices, as if 'kompact prices --region eu-west-1' wrote them. */
    private static InstanceCatalog ireland() {
        return new InstanceCatalog(
                "eu-west-1",
                InstanceCatalog.bundled().types().stream()
                        .map(t -> new InstanceType(
                                t.name(),
                                t.family(),
                                t.category(),
                                t.generation(),
                                t.arch(),
                                t.vcpu(),
                                t.memoryMib(),
                                t.gpuCount(),
                                t.allocatable(),
                                doubled(t.onDemandPriceMicros()),
                                doubled(t.spotPriceMicros()),
                                t.interruptionFrequency()))
                        .toList());
    }

    private static OptionalLong doubled(OptionalLong micros) {
        return micros.isPresent() ? OptionalLong.of(2 * micros.getAsLong()) : micros;
    }

    private Path irelandDump() throws Exception {
        String dump = new String(PricesCommandTest.class
                        .getResourceAsStream("/kubectl-dump.json")
                        .readAllBytes())
                .replace("us-east-1", "eu-west-1");
        return Files.writeString(dir.resolve("dump.json"), dump);
    }

    private int run(String... args) {
        CommandLine cli = Kompact.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}

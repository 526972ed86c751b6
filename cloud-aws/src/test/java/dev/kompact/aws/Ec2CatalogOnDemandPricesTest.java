package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.kompact.aws.Ec2Responses.spotPrices;
import static dev.kompact.aws.Ec2Responses.type;
import static dev.kompact.aws.Ec2Responses.types;
import static dev.kompact.aws.PriceListResponses.getProducts;
import static dev.kompact.aws.PriceListResponses.json;
import static dev.kompact.aws.PriceListResponses.product;
import static dev.kompact.aws.PriceListResponses.products;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.catalog.SpotAdvisor;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Money;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;

/**
 * On-demand prices from the Price List API over the bundled ones, the real SDK talking AWS JSON 1.1 to WireMock.
 * EC2 describes m5.large and c5.large here; the bundle prices them at $0.096 and $0.085 in us-east-1, its region.
 */
class Ec2CatalogOnDemandPricesTest {

    private final LocalAws local = new LocalAws();
    private final Ec2Client ec2 = local.aws().ec2();
    private final List<AutoCloseable> clients = new ArrayList<>(List.of(ec2));

    @BeforeEach
    void ec2DescribesTwoBundledTypes() {
        local.answer(
                LocalAws.action("DescribeInstanceTypes"),
                types(type("m5.large", "x86_64", 2, 8192, 3, 10) + type("c5.large", "x86_64", 2, 4096, 3, 10), null));
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        local.close();
    }

    @Test
    void pricesOnDemandFromEveryPageOfTheApiOverTheBundle() throws Exception {
        local.server.stubFor(getProducts()
                .withRequestBody(notContaining("NextToken"))
                .willReturn(json(200, products("page-2", product("m5.large", "0.1010000000")))));
        local.server.stubFor(getProducts()
                .withRequestBody(containing("\"NextToken\":\"page-2\""))
                .willReturn(json(200, products(null, product("c5.large", "0.0890000000")))));

        InstanceCatalog current = catalog(local.aws().pricing(), "eu-west-1").current();

        assertThat(current.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.101));
        assertThat(current.price("c5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.089));
        List<JsonNode> calls = PriceListResponses.calls(local);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).get("ServiceCode").asText()).isEqualTo("AmazonEC2");
        assertThat(calls.get(0).get("Filters"))
                .extracting(f -> f.get("Type").asText() + " " + f.get("Field").asText() + "="
                        + f.get("Value").asText())
                .containsExactlyInAnyOrder(
                        "TERM_MATCH regionCode=eu-west-1",
                        "TERM_MATCH operatingSystem=Linux",
                        "TERM_MATCH tenancy=Shared",
                        "TERM_MATCH capacitystatus=Used",
                        "TERM_MATCH preInstalledSw=NA");
    }

    @Test
    void keepsTheBundledPriceOfATypeTheApiDoesNotList() {
        local.server.stubFor(getProducts().willReturn(json(200, products(null, product("m5.large", "0.1010000000")))));

        InstanceCatalog current = catalog(local.aws().pricing()).current();

        assertThat(current.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.101));
        assertThat(current.price("c5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.085));
    }

    @Test
    void skipsAPriceNoInstanceCostsAndKeepsTheOthers() {
        local.server.stubFor(getProducts()
                .willReturn(
                        json(200, products(null, product("m5.large", "1e30"), product("c5.large", "0.0890000000")))));

        InstanceCatalog current = catalog(local.aws().pricing()).current();

        assertThat(current.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.096));
        assertThat(current.price("c5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.089));
    }

    @Test
    void retriesWhenThrottledAndThenUsesTheApisPrices() {
        local.server.stubFor(getProducts()
                .inScenario("throttled")
                .whenScenarioStateIs(STARTED)
                .willReturn(json(400, PriceListResponses.error("ThrottlingException", "Rate exceeded")))
                .willSetStateTo("calm"));
        local.server.stubFor(getProducts()
                .inScenario("throttled")
                .whenScenarioStateIs("calm")
                .willReturn(json(200, products(null, product("c5.large", "0.0890000000")))));

        InstanceCatalog current = catalog(local.aws().pricing()).current();

        assertThat(current.price("c5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.089));
        assertThat(PriceListResponses.calls(local)).hasSize(2);
    }

    @Test
    void keepsEveryBundledPriceWhenTheApiIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        InstanceCatalog current = catalog(local.aws()
                        .withEndpoint(URI.create("http://127.0.0.1:" + closedPort))
                        .pricing())
                .current();

        // EC2 still answered: its types are the catalogue, priced on demand as the bundle prices them
        assertThat(current.types()).hasSize(2);
        assertThat(current.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.096));
        assertThat(current.price("c5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.085));
    }

    @Test
    void skipsPriceListItemsThatCannotBeReadAndUsesTheRest() {
        String withoutPrice = product("c5.large", "0.0890000000").replace("\"USD\"", "\"CNY\"");
        local.server.stubFor(getProducts()
                .willReturn(
                        json(200, products(null, "{\"product\":", withoutPrice, product("m5.large", "0.1010000000")))));

        InstanceCatalog current = catalog(local.aws().pricing()).current();

        assertThat(current.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.101));
        assertThat(current.price("c5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.085));
    }

    @Test
    void neverPricesAnotherRegionsTypeFromTheBundle() {
        local.server.stubFor(getProducts().willReturn(json(200, products(null, product("m5.large", "0.1070000000")))));

        InstanceCatalog ireland = catalog(local.aws().pricing(), "eu-west-1").current();

        assertThat(ireland.region()).isEqualTo("eu-west-1");
        assertThat(ireland.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.107));
        // the Price List API did not list it: offered in eu-west-1 at no borrowed us-east-1 price
        assertThat(ireland.price("c5.large", CapacityType.ON_DEMAND)).isEmpty();
        assertThat(ireland.type("c5.large").orElseThrow().interruptionFrequency())
                .isEqualTo(SpotAdvisor.bundled()
                        .interruptionFrequency("eu-west-1", "c5.large")
                        .orElseThrow());
    }

    @Test
    void readingForKompactPricesFailsWhenThePriceListApiCannotBeRead() {
        local.server.stubFor(
                getProducts().willReturn(json(400, PriceListResponses.error("AccessDeniedException", "no"))));

        assertThatThrownBy(() -> reader(local.aws().pricing(), "eu-west-1").read(Instant.now()))
                .isInstanceOf(AwsRequestException.class)
                .hasMessageContaining("GetProducts failed: AccessDeniedException");
    }

    @Test
    void readingForKompactPricesReadsTheRegionsTypesAndBothPrices() {
        local.answer(
                LocalAws.action("DescribeSpotPriceHistory"),
                spotPrices(Ec2Responses.spot("m5.large", "eu-west-1a", "0.0400", "2026-11-24T11:00:00Z")));
        local.server.stubFor(getProducts().willReturn(json(200, products(null, product("m5.large", "0.1070000000")))));

        InstanceCatalog fetched = reader(local.aws().pricing(), "eu-west-1").read(Instant.now());

        assertThat(fetched.types()).extracting(InstanceType::name).containsExactlyInAnyOrder("m5.large", "c5.large");
        assertThat(fetched.price("m5.large", CapacityType.ON_DEMAND)).hasValue(Money.micros(0.107));
        assertThat(fetched.price("m5.large", CapacityType.SPOT)).hasValue(Money.micros(0.04));
        assertThat(fetched.price("c5.large", CapacityType.ON_DEMAND)).isEmpty();
    }

    private Ec2CatalogReader reader(PricingClient pricing, String region) {
        clients.add(pricing);
        return new Ec2CatalogReader(ec2, pricing, region, InstanceCatalog.bundled());
    }

    private Ec2Catalog catalog(PricingClient pricing) {
        return catalog(pricing, InstanceCatalog.BUNDLED_REGION);
    }

    private Ec2Catalog catalog(PricingClient pricing, String region) {
        clients.add(pricing);
        return new Ec2Catalog(
                ec2, pricing, region, InstanceCatalog.bundled(), Duration.ofMinutes(30), Clock.systemUTC());
    }
}

package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static dev.kompact.aws.Ec2Responses.spot;
import static dev.kompact.aws.Ec2Responses.spotPrices;
import static dev.kompact.aws.Ec2Responses.type;
import static dev.kompact.aws.Ec2Responses.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kompact.executor.snapshot.ClusterObserver;
import dev.kompact.executor.testing.TestCluster;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;

class Ec2CatalogTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private final LocalAws local = new LocalAws();
    private final Ec2Client ec2 = local.aws().ec2();
    private final PricingClient pricing = local.aws().pricing();
    private final MutableClock clock = new MutableClock();
    private final Ec2Catalog catalog =
            new Ec2Catalog(ec2, pricing, "us-east-1", InstanceCatalog.bundled(), Duration.ofMinutes(30), clock);

    /** The Price List API lists nothing, unless a test says otherwise: on-demand prices are then the bundle's. */
    @BeforeEach
    void priceListApiListsNothing() {
        local.server.stubFor(PriceListResponses.getProducts()
                .willReturn(PriceListResponses.json(200, PriceListResponses.products(null))));
    }

    @AfterEach
    void stop() {
        ec2.close();
        pricing.close();
        local.close();
    }

    @Test
    void readsEveryPageOfInstanceTypes() {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));

        InstanceCatalog current = catalog.current();

        assertThat(current.types()).extracting(InstanceType::name).containsExactlyInAnyOrder("m5.large", "q9g.large");
        assertThat(local.calls("DescribeInstanceTypes")).hasSize(2);
        assertThat(local.calls("DescribeInstanceTypes").get(1)).containsEntry("NextToken", "page-2");
    }

    @Test
    void keepsTheBundledAllocatableAndOnDemandPriceOfKnownTypes() {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));

        InstanceType m5 = catalog.current().type("m5.large").orElseThrow();

        InstanceType bundled = InstanceCatalog.bundled().type("m5.large").orElseThrow();
        assertThat(m5.allocatable()).isEqualTo(bundled.allocatable());
        assertThat(m5.price(CapacityType.ON_DEMAND)).isEqualTo(bundled.price(CapacityType.ON_DEMAND));
    }

    @Test
    void describesTypesTheBundleLacksWithEksAllocatableAndNoOnDemandPrice() {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));

        assertThat(InstanceCatalog.bundled().type("q9g.large")).isEmpty();

        InstanceType q9g = catalog.current().type("q9g.large").orElseThrow();

        assertThat(q9g.arch()).isEqualTo("arm64");
        assertThat(q9g.family()).isEqualTo("q9g");
        assertThat(q9g.generation()).isEqualTo("9");
        // 4 ENIs of 15 addresses: 4 × 14 + 2
        assertThat(q9g.allocatable().amounts())
                .containsEntry(ResourceNames.PODS, 58L)
                .containsEntry(ResourceNames.CPU, 1930L);
        assertThat(q9g.price(CapacityType.ON_DEMAND)).isEmpty();
    }

    @Test
    void pricesOnDemandATypeTheBundleLacksWhenThePriceListApiListsIt() {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));
        local.server.stubFor(PriceListResponses.getProducts()
                .willReturn(PriceListResponses.json(
                        200,
                        PriceListResponses.products(null, PriceListResponses.product("q9g.large", "0.0771000000")))));

        assertThat(catalog.current().price("q9g.large", CapacityType.ON_DEMAND)).hasValue(77_100);
    }

    @Test
    void pricesSpotAtTheHighestLatestPriceOverZonesAcrossPages() {
        answerTwoPagesOfTypes();
        local.server.stubFor(LocalAws.action("DescribeSpotPriceHistory")
                .withRequestBody(notContaining("NextToken"))
                .willReturn(LocalAws.xml(
                        200,
                        spotPrices(
                                spot("m5.large", "us-east-1a", "0.050000", "2026-11-24T09:00:00Z")
                                        + spot("m5.large", "us-east-1a", "0.031000", "2026-11-24T11:00:00Z"),
                                "spot-2"))));
        local.server.stubFor(LocalAws.action("DescribeSpotPriceHistory")
                .withRequestBody(containing("NextToken=spot-2"))
                .willReturn(LocalAws.xml(
                        200, spotPrices(spot("m5.large", "us-east-1b", "0.042000", "2026-11-24T10:00:00Z")))));

        InstanceType m5 = catalog.current().type("m5.large").orElseThrow();

        // 1a's latest is 0.031 (the 0.050 is older), 1b's is 0.042: the catalogue keeps the higher
        assertThat(m5.price(CapacityType.SPOT)).hasValue(Money.micros(0.042));
        assertThat(local.calls("DescribeSpotPriceHistory").get(0))
                .containsEntry("ProductDescription.1", "Linux/UNIX")
                .containsEntry("StartTime", "2026-11-24T12:00:00Z");
    }

    @Test
    void skipsASpotPriceNoInstanceCostsAndKeepsTheOtherPools() {
        answerTwoPagesOfTypes();
        local.answer(
                LocalAws.action("DescribeSpotPriceHistory"),
                spotPrices(spot("m5.large", "us-east-1a", "1e30", "2026-11-24T11:00:00Z")
                        + spot("m5.large", "us-east-1b", "0.042000", "2026-11-24T10:00:00Z")));

        InstanceType m5 = catalog.current().type("m5.large").orElseThrow();

        assertThat(m5.price(CapacityType.SPOT)).hasValue(Money.micros(0.042));
    }

    @Test
    void keepsTheBundledCatalogueWhenEc2RefusesToDescribe() {
        local.server.stubFor(LocalAws.action("DescribeInstanceTypes")
                .willReturn(LocalAws.xml(
                        403,
                        LocalAws.error(
                                "UnauthorizedOperation",
                                "You are not authorized to perform this operation.",
                                "req-6"))));

        assertThat(catalog.current()).isSameAs(InstanceCatalog.bundled());
    }

    @Test
    void asksEc2AndThePriceListApiAgainOnlyAfterTheRefreshInterval() {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));
        local.server.stubFor(PriceListResponses.getProducts()
                .willReturn(PriceListResponses.json(
                        200,
                        PriceListResponses.products(null, PriceListResponses.product("m5.large", "0.0960000000")))));

        catalog.current();
        clock.advance(Duration.ofMinutes(29));
        catalog.current();
        assertThat(local.calls("DescribeSpotPriceHistory")).hasSize(1);
        assertThat(PriceListResponses.calls(local)).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        catalog.current();
        assertThat(local.calls("DescribeSpotPriceHistory")).hasSize(2);
        assertThat(PriceListResponses.calls(local)).hasSize(2);
    }

    @Test
    void clusterSnapshotsPriceSpotOfferingsAtEc2sLatestPrice() throws Exception {
        answerTwoPagesOfTypes();
        local.answer(
                LocalAws.action("DescribeSpotPriceHistory"),
                spotPrices(spot("m5.large", "us-east-1a", "0.012300", "2026-11-24T11:00:00Z")));
        try (TestCluster cluster = new TestCluster(Duration.ofMillis(20));
                ClusterObserver observer = new ClusterObserver(cluster.client(), catalog, "prod")) {
            cluster.node("node-1", "m5.large");
            observer.start();
            await().atMost(Duration.ofSeconds(30)).until(observer::isSynced);

            List<InstanceOffering> offerings = observer.snapshot().offerings();

            // the bundle estimates m5.large spot at $0.0326; EC2 says $0.0123 now
            assertThat(offerings)
                    .filteredOn(o -> o.instanceType().equals("m5.large") && o.capacityType() == CapacityType.SPOT)
                    .singleElement()
                    .satisfies(o -> assertThat(o.pricePerHourMicros()).isEqualTo(12_300));
            // refreshed once the interval has passed: the next round plans with the new price
            local.answer(
                    LocalAws.action("DescribeSpotPriceHistory"),
                    spotPrices(spot("m5.large", "us-east-1a", "0.020000", "2026-11-24T12:10:00Z")));
            clock.advance(Duration.ofMinutes(30));
            assertThat(observer.snapshot().offerings())
                    .filteredOn(o -> o.instanceType().equals("m5.large") && o.capacityType() == CapacityType.SPOT)
                    .extracting(InstanceOffering::pricePerHourMicros)
                    .containsExactly(20_000L);
        }
    }

    @Test
    void clusterSnapshotsPriceANodeOfATypeEc2NoLongerDescribesAtItsBundledPrice() throws Exception {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));
        try (TestCluster cluster = new TestCluster(Duration.ofMillis(20));
                ClusterObserver observer = new ClusterObserver(cluster.client(), catalog, "prod")) {
            cluster.node("old-1", "m4.large");
            observer.start();
            await().atMost(Duration.ofSeconds(30)).until(observer::isSynced);

            ClusterSnapshot snapshot = observer.snapshot();

            // EC2 described m5.large and q9g.large only; the bundle prices m4.large on demand at $0.10
            assertThat(snapshot.node("old-1").orElseThrow().pricePerHourMicros())
                    .isEqualTo(100_000);
            assertThat(snapshot.offerings()).noneMatch(o -> o.instanceType().equals("m4.large"));
        }
    }

    @Test
    void clusterSnapshotsNameANodeOfATypeNoCataloguePrices() throws Exception {
        answerTwoPagesOfTypes();
        local.answer(LocalAws.action("DescribeSpotPriceHistory"), spotPrices(""));
        try (TestCluster cluster = new TestCluster(Duration.ofMillis(20));
                ClusterObserver observer = new ClusterObserver(cluster.client(), catalog, "prod")) {
            cluster.node("old-1", "m4.large");
            cluster.node("mystery-1", "m99.huge");
            observer.start();
            await().atMost(Duration.ofSeconds(30)).until(observer::isSynced);

            assertThatThrownBy(observer::snapshot)
                    .isInstanceOf(InvalidSnapshotException.class)
                    .hasMessageContaining(
                            "node \"mystery-1\" runs instance type \"m99.huge\" (on-demand), which neither the"
                                    + " live catalogue nor the bundled one prices")
                    .hasMessageNotContaining("old-1");
        }
    }

    private void answerTwoPagesOfTypes() {
        local.server.stubFor(LocalAws.action("DescribeInstanceTypes")
                .withRequestBody(notContaining("NextToken"))
                .willReturn(LocalAws.xml(200, types(type("m5.large", "x86_64", 2, 8192, 3, 10), "page-2"))));
        // a type the bundled catalogue lacks
        local.server.stubFor(LocalAws.action("DescribeInstanceTypes")
                .withRequestBody(containing("NextToken=page-2"))
                .willReturn(LocalAws.xml(200, types(type("q9g.large", "arm64", 2, 8192, 4, 15), null))));
    }

    private static final class MutableClock extends Clock {
        private Instant now = NOW;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

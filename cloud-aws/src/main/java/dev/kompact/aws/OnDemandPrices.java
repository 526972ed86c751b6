package dev.kompact.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.optimizer.model.Money;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.Filter;
import software.amazon.awssdk.services.pricing.model.FilterType;

/**
 * Linux on-demand prices of shared-tenancy instances in one region, in micro-dollars per hour, from the Price List
 * API's {@code GetProducts}. Each product comes as a JSON document of its own: its instance type is at
 * {@code product.attributes.instanceType}, its hourly price at
 * {@code terms.OnDemand.<term>.priceDimensions.<dimension>.pricePerUnit.USD}.
 */
final class OnDemandPrices {

    private static final Logger log = LoggerFactory.getLogger(OnDemandPrices.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PricingClient pricing;
    private final String region;

    OnDemandPrices(PricingClient pricing, String region) {
        this.pricing = pricing;
        this.region = region;
    }

    /** By instance type; a product that cannot be read is skipped and logged, the others still count. */
    Map<String, Long> byType() {
        Map<String, Long> prices = new HashMap<>();
        try {
            pricing.getProductsPaginator(r -> r.serviceCode("AmazonEC2")
                            .formatVersion("aws_v1")
                            .filters(
                                    match("regionCode", region),
                                    match("operatingSystem", "Linux"),
                                    match("tenancy", "Shared"),
                                    match("capacitystatus", "Used"),
                                    match("preInstalledSw", "NA")))
                    .priceList()
                    .forEach(product -> read(product, prices));
        } catch (AwsServiceException e) {
            throw new AwsRequestException("GetProducts", e);
        }
        return prices;
    }

    private static Filter match(String field, String value) {
        return Filter.builder()
                .type(FilterType.TERM_MATCH)
                .field(field)
                .value(value)
                .build();
    }

    /**
     * The filters leave one product per type in practice; should two remain, the higher price is kept, as it never
     * overstates what a plan saves by buying the type.
     */
    private static void read(String product, Map<String, Long> prices) {
        try {
            JsonNode document = JSON.readTree(product);
            String type = document.path("product")
                    .path("attributes")
                    .path("instanceType")
                    .asText("");
            if (type.isEmpty()) {
                throw new IllegalArgumentException("no product.attributes.instanceType");
            }
            long price = hourly(document.path("terms").path("OnDemand"));
            prices.merge(type, price, Math::max);
        } catch (JsonProcessingException e) {
            skip("not JSON: " + e.getOriginalMessage(), product);
        } catch (IllegalArgumentException e) {
            skip(e.getMessage(), product);
        }
    }

    private static void skip(String why, String product) {
        log.warn(
                "skipping a GetProducts price list item that cannot be read ({}): {}",
                why,
                product.length() > 200 ? product.substring(0, 200) + "…" : product);
    }

    private static long hourly(JsonNode onDemand) {
        for (JsonNode term : onDemand) {
            for (JsonNode dimension : term.path("priceDimensions")) {
                JsonNode usd = dimension.path("pricePerUnit").path("USD");
                if (usd.isTextual()) {
                    return Money.hourlyPrice(usd.asText());
                }
            }
        }
        throw new IllegalArgumentException("no terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD");
    }
}

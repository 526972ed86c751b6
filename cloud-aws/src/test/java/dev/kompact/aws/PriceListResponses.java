package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Price List API's answers as its reference documents them: AWS JSON 1.1, each {@code PriceList} item a product
 * serialized as a string of JSON, trimmed to the attributes Kompact filters and reads.
 */
final class PriceListResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PriceListResponses() {}

    private static final String GET_PRODUCTS = "AWSPriceListService.GetProducts";

    static MappingBuilder getProducts() {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(GET_PRODUCTS));
    }

    /** The request bodies of every GetProducts call, in order. */
    static List<JsonNode> calls(LocalAws local) {
        List<JsonNode> calls = new ArrayList<>();
        for (LoggedRequest request : local.server.findAll(
                postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(GET_PRODUCTS)))) {
            try {
                calls.add(JSON.readTree(request.getBodyAsString()));
            } catch (IOException e) {
                throw new IllegalStateException("GetProducts sent no JSON: " + request.getBodyAsString(), e);
            }
        }
        return calls;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(body);
    }

    static String error(String type, String message) {
        return JSON.createObjectNode()
                .put("__type", type)
                .put("Message", message)
                .toString();
    }

    /** @param nextToken null on the last page */
    static String products(String nextToken, String... priceList) {
        ObjectNode response = JSON.createObjectNode().put("FormatVersion", "aws_v1");
        ArrayNode items = response.putArray("PriceList");
        for (String item : priceList) {
            items.add(item);
        }
        if (nextToken != null) {
            response.put("NextToken", nextToken);
        }
        return response.toString();
    }

    /** A Linux, shared-tenancy product in us-east-1 priced at {@code usd} per hour. */
    static String product(String instanceType, String usd) {
        String sku = "SKU" + Integer.toHexString(instanceType.hashCode()).toUpperCase();
        ObjectNode product = JSON.createObjectNode();
        product.putObject("product")
                .put("productFamily", "Compute Instance")
                .put("sku", sku)
                .putObject("attributes")
                .put("instanceType", instanceType)
                .put("regionCode", "us-east-1")
                .put("location", "US East (N. Virginia)")
                .put("operatingSystem", "Linux")
                .put("tenancy", "Shared")
                .put("capacitystatus", "Used")
                .put("preInstalledSw", "NA")
                .put("licenseModel", "No License required")
                .put("operation", "RunInstances")
                .put("usagetype", "BoxUsage:" + instanceType);
        product.put("serviceCode", "AmazonEC2");
        ObjectNode term = product.putObject("terms").putObject("OnDemand").putObject(sku + ".JRTCKXETXF");
        term.putObject("priceDimensions")
                .putObject(sku + ".JRTCKXETXF.6YS6EN2CT7")
                .put("unit", "Hrs")
                .put("endRange", "Inf")
                .put("beginRange", "0")
                .put("description", "$" + usd + " per On Demand Linux " + instanceType + " Instance Hour")
                .put("rateCode", sku + ".JRTCKXETXF.6YS6EN2CT7")
                .putObject("pricePerUnit")
                .put("USD", usd);
        term.put("sku", sku)
                .put("effectiveDate", "2026-11-01T00:00:00Z")
                .put("offerTermCode", "JRTCKXETXF")
                .putObject("termAttributes");
        product.put("version", "20261120000000").put("publicationDate", "2026-11-20T00:00:00Z");
        return product.toString();
    }
}

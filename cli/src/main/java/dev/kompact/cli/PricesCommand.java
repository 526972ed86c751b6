package dev.kompact.cli;

import dev.kompact.aws.AwsRequestException;
import dev.kompact.aws.AwsSettings;
import dev.kompact.aws.Ec2CatalogReader;
import dev.kompact.optimizer.catalog.AwsRegion;
import dev.kompact.optimizer.catalog.CatalogFile;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;

@Command(
        name = "prices",
        description = {
            "Write a region's instance catalogue (types, allocatable, on-demand and spot prices) for --prices, so that a"
                    + " cluster outside " + InstanceCatalog.BUNDLED_REGION + " is priced at its own rates.",
            "Reads EC2 (DescribeInstanceTypes, DescribeSpotPriceHistory) and the Price List API (GetProducts) with"
                    + " the AWS SDK's default credentials; interruption frequencies come from the bundled Spot"
                    + " Advisor data."
        })
final class PricesCommand implements Callable<Integer> {

    @Option(names = "--region", required = true, paramLabel = "REGION", description = "AWS region, e.g. eu-west-1")
    String region;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "where to write the catalogue (default: ./kompact-prices-REGION.json)")
    Path out;

    @Option(
            names = "--aws-endpoint",
            paramLabel = "URL",
            description = "send the EC2 and Price List calls to this endpoint instead (e.g. a VPC endpoint)")
    URI endpoint;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AwsSettings aws = AwsSettings.forRegion(AwsRegion.requireValid(region));
        if (endpoint != null) {
            aws = aws.withEndpoint(endpoint);
        }
        InstanceCatalog catalog;
        try (Ec2Client ec2 = aws.ec2();
                PricingClient pricing = aws.pricing()) {
            catalog = new Ec2CatalogReader(ec2, pricing, region, InstanceCatalog.bundled()).read(Instant.now());
        } catch (AwsRequestException | SdkException e) {
            throw new IllegalArgumentException("cannot read " + region + "'s instance types and prices from AWS"
                    + (endpoint == null ? "" : " at " + endpoint) + ": " + e.getMessage());
        }
        long onDemand = priced(catalog, CapacityType.ON_DEMAND);
        if (onDemand == 0) {
            throw new IllegalArgumentException(
                    "the Price List API priced none of " + catalog.types().size() + " instance types in " + region);
        }
        Path file = out != null ? out : Path.of("kompact-prices-" + region + ".json");
        CatalogFile.write(catalog, "EC2 and the Price List API, " + Instant.now(), file);
        spec.commandLine()
                .getErr()
                .printf(
                        "kompact: %s: %d instance types, %d priced on demand, %d on spot; wrote %s (use it with"
                                + " --prices %s)%n",
                        region, catalog.types().size(), onDemand, priced(catalog, CapacityType.SPOT), file, file);
        return 0;
    }

    private static long priced(InstanceCatalog catalog, CapacityType capacityType) {
        return catalog.types().stream()
                .filter(t -> t.price(capacityType).isPresent())
                .count();
    }
}

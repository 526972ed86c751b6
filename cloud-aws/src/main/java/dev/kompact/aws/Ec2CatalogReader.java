package dev.kompact.aws;

import dev.kompact.executor.cloud.Offering;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;

/**
 * Reads one region's instance catalogue from EC2 and the Price List API, over the bundled one.
 *
 * <ol>
 *   <li>Types come from {@code DescribeInstanceTypes}: a bundled type not offered here is dropped, a type the bundle
 *       lacks gets EKS's allocatable.</li>
 *   <li>A type the bundle knows keeps the bundle's allocatable.</li>
 *   <li>Its on-demand price comes from the Price List API; where the API lacks the type, the bundle's price stands
 *       in, and a type neither prices is offered only on spot.</li>
 *   <li>Its spot price is the highest current price over the region's zones: the catalogue holds one price per type,
 *       and the highest never overstates a plan's savings.</li>
 * </ol>
 *
 * The bundled catalogue is taken {@linkplain InstanceCatalog#inRegion in this region}: outside its own region it lends
 * shapes and allocatable, never prices.
 */
public final class Ec2CatalogReader {

    private static final Logger log = LoggerFactory.getLogger(Ec2CatalogReader.class);

    private final InstanceTypeDescriptions descriptions;
    private final SpotPriceHistory spotPrices;
    private final OnDemandPrices onDemandPrices;
    private final InstanceCatalog bundled;

    /** @param region the region whose on-demand prices to ask {@code pricing} for, e.g. {@code us-east-1} */
    public Ec2CatalogReader(Ec2Client ec2, PricingClient pricing, String region, InstanceCatalog bundled) {
        this.descriptions = new InstanceTypeDescriptions(ec2);
        this.spotPrices = new SpotPriceHistory(ec2);
        this.onDemandPrices = new OnDemandPrices(pricing, region);
        this.bundled = bundled.inRegion(region);
    }

    /** The bundled catalogue in this reader's region. */
    InstanceCatalog bundled() {
        return bundled;
    }

    /**
     * The catalogue as EC2 and the Price List API give it now, for {@code kompact prices}: a call that fails fails
     * this, rather than leaving prices from the bundle.
     *
     * @throws AwsRequestException or {@link SdkException} when a call fails after its retries
     */
    public InstanceCatalog read(Instant now) {
        List<InstanceType> described = descriptions.all();
        if (described.isEmpty()) {
            throw new IllegalStateException("EC2 described no instance type in " + bundled.region());
        }
        return merge(described, onDemandPrices.byType(), spotPrices.latest(now));
    }

    /**
     * The catalogue for a controller that keeps going: the bundle's on-demand prices where the Price List API cannot
     * be read; empty when EC2 describes no type.
     *
     * @throws AwsRequestException or {@link SdkException} when EC2 cannot be read after its retries
     */
    Optional<InstanceCatalog> readOverBundled(Instant now) {
        List<InstanceType> described = descriptions.all();
        if (described.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(merge(described, onDemand(), spotPrices.latest(now)));
    }

    /** Empty when the Price List API cannot be read: every type then keeps the bundle's price. */
    private Map<String, Long> onDemand() {
        try {
            return onDemandPrices.byType();
        } catch (AwsRequestException | SdkException e) {
            log.warn(
                    "cannot read on-demand prices from the Price List API; using the bundled ones: {}", e.getMessage());
            return Map.of();
        }
    }

    private InstanceCatalog merge(List<InstanceType> described, Map<String, Long> onDemand, Map<Offering, Long> spot) {
        Map<String, Long> highestSpot = new HashMap<>();
        spot.forEach((placement, price) -> highestSpot.merge(placement.instanceType(), price, Math::max));
        List<InstanceType> merged = new ArrayList<>();
        int fellBack = 0;
        for (InstanceType live : described) {
            InstanceType base = bundled.type(live.name()).orElse(live);
            Long listed = onDemand.get(live.name());
            if (listed == null && base.onDemandPriceMicros().isPresent()) {
                fellBack++;
            }
            Long spotPrice = highestSpot.get(live.name());
            merged.add(new InstanceType(
                    base.name(),
                    base.family(),
                    base.category(),
                    base.generation(),
                    base.arch(),
                    base.vcpu(),
                    base.memoryMib(),
                    base.gpuCount(),
                    base.allocatable(),
                    listed != null ? OptionalLong.of(listed) : base.onDemandPriceMicros(),
                    spotPrice != null ? OptionalLong.of(spotPrice) : base.spotPriceMicros(),
                    base.interruptionFrequency()));
        }
        if (fellBack > 0) {
            log.info(
                    "{} of {} instance types have no on-demand price from the Price List API: priced from the bundled"
                            + " catalogue",
                    fellBack,
                    described.size());
        }
        return new InstanceCatalog(bundled.region(), merged);
    }
}

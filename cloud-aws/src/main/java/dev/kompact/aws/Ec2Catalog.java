package dev.kompact.aws;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;

/**
 * The instance catalogue as EC2 describes and prices this region, over the bundled one.
 *
 * <ol>
 *   <li>Types come from {@code DescribeInstanceTypes}: a bundled type not offered here is dropped, a type the bundle
 *       lacks gets EKS's allocatable.</li>
 *   <li>A type the bundle knows keeps the bundle's allocatable.</li>
 *   <li>Its on-demand price comes from the Price List API; where that API fails or lacks the type, the bundle's
 *       price stands in, and a type neither prices is offered only on spot.</li>
 *   <li>Its spot price is the highest current price over the region's zones: the catalogue holds one price per type,
 *       and the highest never overstates a plan's savings.</li>
 * </ol>
 *
 * When EC2 cannot be read the previous catalogue stays, at first the bundled one, and the next refresh tries again.
 * The bundled catalogue is taken {@linkplain InstanceCatalog#inRegion in this region}: outside its own region it lends
 * shapes and allocatable, never prices.
 */
public final class Ec2Catalog implements CatalogSource {

    private static final Logger log = LoggerFactory.getLogger(Ec2Catalog.class);

    private final InstanceTypeDescriptions descriptions;
    private final SpotPriceHistory spotPrices;
    private final OnDemandPrices onDemandPrices;
    private final Duration refreshInterval;
    private final Clock clock;
    private final InstanceCatalog bundled;
    private InstanceCatalog current;
    private Instant loadedAt;

    /** @param region the region whose on-demand prices to ask {@code pricing} for, e.g. {@code us-east-1} */
    public Ec2Catalog(
            Ec2Client ec2,
            PricingClient pricing,
            String region,
            InstanceCatalog bundled,
            Duration refreshInterval,
            Clock clock) {
        this.descriptions = new InstanceTypeDescriptions(ec2);
        this.spotPrices = new SpotPriceHistory(ec2);
        this.onDemandPrices = new OnDemandPrices(pricing, region);
        this.refreshInterval = refreshInterval;
        this.clock = clock;
        this.bundled = bundled.inRegion(region);
        this.current = this.bundled;
    }

    @Override
    public synchronized InstanceCatalog current() {
        Instant now = clock.instant();
        if (loadedAt == null || !now.isBefore(loadedAt.plus(refreshInterval))) {
            loadedAt = now;
            refresh(now);
        }
        return current;
    }

    /**
     * The catalogue as EC2 and the Price List API give it now, for {@code kompact prices}: unlike {@link #current()},
     * a call that fails fails this, rather than leaving prices from before or from the bundle.
     *
     * @throws AwsRequestException or {@link SdkException} when a call fails after its retries
     */
    public InstanceCatalog fetch(Instant now) {
        List<InstanceType> described = descriptions.all();
        if (described.isEmpty()) {
            throw new IllegalStateException("EC2 described no instance type in " + bundled.region());
        }
        return merge(described, onDemandPrices.byType(), spotPrices.latest(now));
    }

    private void refresh(Instant now) {
        try {
            List<InstanceType> described = descriptions.all();
            if (described.isEmpty()) {
                log.warn(
                        "EC2 described no instance type; keeping the current catalogue of {} types",
                        current.types().size());
                return;
            }
            current = merge(described, onDemand(), spotPrices.latest(now));
            log.info(
                    "catalogue refreshed from EC2: {} instance types",
                    current.types().size());
        } catch (AwsRequestException | SdkException e) {
            log.warn(
                    "cannot refresh the instance catalogue from EC2, keeping the current one of {} types; retrying in {}:"
                            + " {}",
                    current.types().size(),
                    refreshInterval,
                    e.getMessage());
        }
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

package dev.kompact.aws;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;

/**
 * The instance catalogue as EC2 describes and prices this region ({@link Ec2CatalogReader}), read again every refresh
 * interval. When EC2 cannot be read the previous catalogue stays, at first the bundled one, and the next refresh
 * tries again; when the Price List API cannot be read, the bundle's on-demand prices stand in.
 */
public final class Ec2Catalog implements CatalogSource {

    private static final Logger log = LoggerFactory.getLogger(Ec2Catalog.class);

    private final Ec2CatalogReader reader;
    private final Duration refreshInterval;
    private final Clock clock;
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
        this.reader = new Ec2CatalogReader(ec2, pricing, region, bundled);
        this.refreshInterval = refreshInterval;
        this.clock = clock;
        this.current = reader.bundled();
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

    private void refresh(Instant now) {
        try {
            Optional<InstanceCatalog> read = reader.readOverBundled(now);
            if (read.isEmpty()) {
                log.warn(
                        "EC2 described no instance type; keeping the current catalogue of {} types",
                        current.types().size());
                return;
            }
            current = read.get();
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
}

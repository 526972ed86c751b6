package dev.kompact.aws;

import dev.kompact.executor.cloud.Offering;
import dev.kompact.optimizer.model.Money;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SpotPrice;

/** Current Linux spot prices, in micro-dollars per hour, per instance type and zone. */
final class SpotPriceHistory {

    private static final Logger log = LoggerFactory.getLogger(SpotPriceHistory.class);
    private static final String LINUX = "Linux/UNIX";

    private final Ec2Client ec2;

    SpotPriceHistory(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** Asking from {@code now} makes EC2 return the price in force now for each pool, plus any changes since. */
    Map<Offering, Long> latest(Instant now) {
        Map<Offering, SpotPrice> latest = new HashMap<>();
        try {
            ec2.describeSpotPriceHistoryPaginator(
                            r -> r.productDescriptions(LINUX).startTime(now))
                    .spotPriceHistory()
                    .forEach(price -> latest.merge(
                            new Offering(price.instanceTypeAsString(), price.availabilityZone()),
                            price,
                            (a, b) -> a.timestamp().isAfter(b.timestamp()) ? a : b));
        } catch (AwsServiceException e) {
            throw new AwsRequestException("DescribeSpotPriceHistory", e);
        }
        Map<Offering, Long> micros = new HashMap<>();
        latest.forEach((placement, price) -> {
            try {
                micros.put(placement, Money.hourlyPrice(price.spotPrice()));
            } catch (IllegalArgumentException e) {
                // one unreadable pool must not cost the catalogue every other pool's price
                log.warn(
                        "skipping the spot price of {} in {}: {}",
                        placement.instanceType(),
                        placement.zone(),
                        e.getMessage());
            }
        });
        return micros;
    }
}

package dev.kompact.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How Kompact talks to AWS; the one place every client is built. Region and credentials come from the user's
 * environment (the SDK's default chain) unless given; {@code endpoint} points the clients at a local server in tests.
 *
 * @param maxAttempts first try included; throttling and transient errors are retried up to this bound
 * @param baseDelay first backoff; it doubles per retry (with jitter) up to {@code maxBackoff}
 */
public record AwsSettings(
        Region region,
        AwsCredentialsProvider credentials,
        Optional<URI> endpoint,
        int maxAttempts,
        Duration baseDelay,
        Duration maxBackoff,
        Duration callTimeout) {

    public AwsSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "AWS maxAttempts is " + maxAttempts + "; it counts the first try, so use 1 or more");
        }
    }

    /** The SDK's defaults for region and credentials, with backoff bounded so a throttled call gives up in ~a minute. */
    public static AwsSettings forRegion(String region) {
        return new AwsSettings(
                Region.of(region),
                DefaultCredentialsProvider.builder().build(),
                Optional.empty(),
                5,
                Duration.ofMillis(200),
                Duration.ofSeconds(20),
                Duration.ofMinutes(2));
    }

    public AwsSettings withEndpoint(URI endpoint) {
        return new AwsSettings(
                region, credentials, Optional.of(endpoint), maxAttempts, baseDelay, maxBackoff, callTimeout);
    }

    public AwsSettings withCredentials(AwsCredentialsProvider credentials) {
        return new AwsSettings(region, credentials, endpoint, maxAttempts, baseDelay, maxBackoff, callTimeout);
    }

    public AwsSettings withRetries(int maxAttempts, Duration baseDelay, Duration maxBackoff) {
        return new AwsSettings(region, credentials, endpoint, maxAttempts, baseDelay, maxBackoff, callTimeout);
    }

    public Ec2Client ec2() {
        return configured(Ec2Client.builder(), region);
    }

    public SqsClient sqs() {
        return configured(SqsClient.builder(), region);
    }

    /** The Price List API, served from {@link #pricingRegion()}; it answers for every region. */
    public PricingClient pricing() {
        return configured(PricingClient.builder(), pricingRegion());
    }

    /** The Price List API has endpoints in three regions only: the one nearest the cluster's. */
    Region pricingRegion() {
        String id = region.id();
        if (id.startsWith("ap-")) {
            return Region.AP_SOUTH_1;
        }
        return id.startsWith("eu-") || id.startsWith("me-") || id.startsWith("af-") || id.startsWith("il-")
                ? Region.EU_CENTRAL_1
                : Region.US_EAST_1;
    }

    /** Every client gets the same credentials, HTTP client, retries and endpoint. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configured(B builder, Region region) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(overrides());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private ClientOverrideConfiguration overrides() {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(baseDelay, maxBackoff);
        RetryStrategy retries = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build();
        return ClientOverrideConfiguration.builder()
                .retryStrategy(retries)
                .apiCallTimeout(callTimeout)
                .build();
    }
}

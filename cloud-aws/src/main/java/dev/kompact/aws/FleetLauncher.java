package dev.kompact.aws;

import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.optimizer.model.CapacityType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfigRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetOnDemandAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Buys one instance with {@code CreateFleet} of type {@code instant}, trying the request's placements (the planned
 * offering, then the alternatives the plan accepts) in order.
 *
 * <ol>
 *   <li>Each placement is one fleet whose overrides are the zone's configured subnets, so EC2's allocation strategy
 *       (spot: price-capacity-optimized, on-demand: lowest-price) chooses among them.</li>
 *   <li>A fleet that returns an instance wins, even with errors for other overrides (partial fulfilment).</li>
 *   <li>A fleet that returns no instance (e.g. {@code InsufficientInstanceCapacity}) moves on to the next placement;
 *       a call EC2 rejects outright (permissions, bad template) stops the launch, as every placement would fail.</li>
 * </ol>
 *
 * Idempotent: the first placement's {@code ClientToken} is the request's token and each later one's is derived from
 * it and the placement, so a launch repeated after a crash gets EC2's recorded answers instead of new instances.
 */
final class FleetLauncher {

    private static final Logger log = LoggerFactory.getLogger(FleetLauncher.class);

    private final Ec2Client ec2;
    private final Ec2ProviderSettings settings;

    FleetLauncher(Ec2Client ec2, Ec2ProviderSettings settings) {
        this.ec2 = ec2;
        this.settings = settings;
    }

    LaunchedInstance launch(LaunchRequest request) {
        List<Offering> placements = request.offerings();
        List<FleetAttempt> unfilled = new ArrayList<>();
        for (int i = 0; i < placements.size(); i++) {
            Offering placement = placements.get(i);
            String token = i == 0 ? request.token() : derivedToken(request.token(), placement);
            CreateFleetResponse response = createFleet(request, placement, token);
            Optional<String> instanceId = response.instances().stream()
                    .flatMap(instance -> instance.instanceIds().stream())
                    .findFirst();
            List<FleetAttempt> errors =
                    response.errors().stream().map(e -> attempt(placement, e)).toList();
            if (instanceId.isPresent()) {
                if (!errors.isEmpty()) {
                    log.info(
                            "fleet {} launched {} ({}) although some subnets failed: {}",
                            response.fleetId(),
                            instanceId.get(),
                            placement,
                            errors);
                }
                log.info(
                        "launched {} ({}, {}) for token {}{}",
                        instanceId.get(),
                        placement,
                        request.capacityType().label(),
                        request.token(),
                        unfilled.isEmpty() ? "" : " after " + unfilled);
                return new LaunchedInstance(
                        instanceId.get(),
                        placement,
                        unfilled.stream().map(FleetAttempt::toString).toList());
            }
            FleetAttempt failed = errors.isEmpty()
                    ? new FleetAttempt(
                            placement, "NoInstance", "fleet " + response.fleetId() + " returned no instance, no error")
                    : errors.get(0);
            log.warn(
                    "no {} instance for {}: {}; {}",
                    request.capacityType().label(),
                    placement,
                    failed,
                    i + 1 < placements.size() ? "trying " + placements.get(i + 1) : "no placement left");
            unfilled.add(failed);
        }
        throw new FleetLaunchException(unfilled);
    }

    private CreateFleetResponse createFleet(LaunchRequest request, Offering placement, String token) {
        boolean spot = request.capacityType() == CapacityType.SPOT;
        CreateFleetRequest.Builder fleet = CreateFleetRequest.builder()
                .type(FleetType.INSTANT)
                .clientToken(token)
                .launchTemplateConfigs(FleetLaunchTemplateConfigRequest.builder()
                        .launchTemplateSpecification(t -> t.launchTemplateId(settings.launchTemplateId())
                                .version(settings.launchTemplateVersion()))
                        .overrides(settings.subnets(placement.zone()).stream()
                                .map(subnet -> FleetLaunchTemplateOverridesRequest.builder()
                                        .instanceType(placement.instanceType())
                                        .subnetId(subnet)
                                        .build())
                                .toList())
                        .build())
                .targetCapacitySpecification(t -> t.totalTargetCapacity(1)
                        .defaultTargetCapacityType(
                                spot ? DefaultTargetCapacityType.SPOT : DefaultTargetCapacityType.ON_DEMAND))
                .tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.INSTANCE)
                        .tags(tags(request))
                        .build());
        if (spot) {
            fleet.spotOptions(o -> o.allocationStrategy(SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED));
        } else {
            fleet.onDemandOptions(o -> o.allocationStrategy(FleetOnDemandAllocationStrategy.LOWEST_PRICE));
        }
        try {
            return ec2.createFleet(fleet.build());
        } catch (AwsServiceException e) {
            throw new AwsRequestException(
                    "CreateFleet for " + placement + " ("
                            + request.capacityType().label() + ", launch template " + settings.launchTemplateId() + ")",
                    e);
        }
    }

    private List<Tag> tags(LaunchRequest request) {
        String plan = request.nodeLabels().getOrDefault(KompactTags.PLAN, "");
        return List.of(
                Tag.builder()
                        .key(KompactTags.CLUSTER)
                        .value(settings.clusterName())
                        .build(),
                Tag.builder().key(KompactTags.PLAN).value(plan).build(),
                Tag.builder()
                        .key(KompactTags.NAME)
                        .value("kompact/" + settings.clusterName() + (plan.isEmpty() ? "" : "/" + plan))
                        .build());
    }

    private static FleetAttempt attempt(Offering placement, CreateFleetError error) {
        return new FleetAttempt(placement, error.errorCode(), error.errorMessage());
    }

    /** 64 hex characters, EC2's ClientToken limit. */
    private static String derivedToken(String token, Offering placement) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((token + "/" + placement.instanceType() + "/" + placement.zone())
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}

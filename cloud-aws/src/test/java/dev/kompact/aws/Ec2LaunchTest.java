package dev.kompact.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.kompact.aws.Ec2Responses.fleet;
import static dev.kompact.aws.Ec2Responses.fleetError;
import static dev.kompact.aws.Ec2Responses.fleetInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.Offering;
import dev.kompact.optimizer.model.CapacityType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2LaunchTest {

    private static final String TOKEN = "3f1c0e7d9a2b4c6d8e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";
    private static final Ec2ProviderSettings SETTINGS = new Ec2ProviderSettings(
            "prod",
            "lt-0abc",
            "3",
            Map.of("us-east-1a", List.of("subnet-a1", "subnet-a2"), "us-east-1b", List.of("subnet-b1")),
            false);

    private final LocalAws ec2 = new LocalAws();
    private final Ec2CloudProvider provider = new Ec2CloudProvider(ec2.aws(), SETTINGS);

    @AfterEach
    void stop() {
        provider.close();
        ec2.close();
    }

    private static LaunchRequest request(CapacityType capacityType) {
        return request(capacityType, List.of(new Offering("m5.large", "us-east-1a")));
    }

    private static LaunchRequest request(CapacityType capacityType, List<Offering> placements) {
        return new LaunchRequest(TOKEN, placements, capacityType, Map.of("kompact.dev/plan", "plan-7"));
    }

    @Test
    void launchesSpotThroughInstantFleetOverTheZonesSubnets() {
        ec2.answer(
                LocalAws.action("CreateFleet"),
                fleet("fleet-1", fleetInstance("i-0aaa111", "m5.large", "subnet-a2", "spot"), ""));

        LaunchedInstance instance = provider.launch(request(CapacityType.SPOT));

        assertThat(instance.providerId()).hasToString("aws:///us-east-1a/i-0aaa111");
        Map<String, String> call = ec2.calls("CreateFleet").get(0);
        assertThat(call)
                .containsEntry("Type", "instant")
                .containsEntry("ClientToken", TOKEN)
                .containsEntry("TargetCapacitySpecification.TotalTargetCapacity", "1")
                .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "spot")
                .containsEntry("SpotOptions.AllocationStrategy", "price-capacity-optimized")
                .containsEntry("LaunchTemplateConfigs.1.LaunchTemplateSpecification.LaunchTemplateId", "lt-0abc")
                .containsEntry("LaunchTemplateConfigs.1.LaunchTemplateSpecification.Version", "3")
                .containsEntry("LaunchTemplateConfigs.1.Overrides.1.InstanceType", "m5.large")
                .containsEntry("LaunchTemplateConfigs.1.Overrides.1.SubnetId", "subnet-a1")
                .containsEntry("LaunchTemplateConfigs.1.Overrides.2.SubnetId", "subnet-a2")
                .doesNotContainKey("OnDemandOptions.AllocationStrategy");
    }

    @Test
    void tagsTheInstanceWithClusterPlanAndName() {
        ec2.answer(
                LocalAws.action("CreateFleet"),
                fleet("fleet-1", fleetInstance("i-0aaa111", "m5.large", "subnet-a1", "spot"), ""));

        provider.launch(request(CapacityType.SPOT));

        assertThat(ec2.calls("CreateFleet").get(0))
                .containsEntry("TagSpecification.1.ResourceType", "instance")
                .containsEntry("TagSpecification.1.Tag.1.Key", "kompact.dev/cluster")
                .containsEntry("TagSpecification.1.Tag.1.Value", "prod")
                .containsEntry("TagSpecification.1.Tag.2.Key", "kompact.dev/plan")
                .containsEntry("TagSpecification.1.Tag.2.Value", "plan-7")
                .containsEntry("TagSpecification.1.Tag.3.Key", "Name")
                .containsEntry("TagSpecification.1.Tag.3.Value", "kompact/prod/plan-7");
    }

    @Test
    void launchesOnDemandAtLowestPrice() {
        ec2.answer(
                LocalAws.action("CreateFleet"),
                fleet("fleet-1", fleetInstance("i-0aaa111", "m5.large", "subnet-a1", "on-demand"), ""));

        provider.launch(request(CapacityType.ON_DEMAND));

        assertThat(ec2.calls("CreateFleet").get(0))
                .containsEntry("TargetCapacitySpecification.DefaultTargetCapacityType", "on-demand")
                .containsEntry("OnDemandOptions.AllocationStrategy", "lowest-price")
                .doesNotContainKey("SpotOptions.AllocationStrategy");
    }

    @Test
    void fallsBackToTheNextPlacementOnInsufficientCapacity() {
        ec2.answer(
                LocalAws.action("CreateFleet").withRequestBody(containing("InstanceType=m5.large")),
                fleet(
                        "fleet-1",
                        "",
                        fleetError("InsufficientInstanceCapacity", "m5.large", "subnet-a1", "spot")
                                + fleetError("InsufficientInstanceCapacity", "m5.large", "subnet-a2", "spot")));
        ec2.answer(
                LocalAws.action("CreateFleet").withRequestBody(containing("InstanceType=m6i.large")),
                fleet("fleet-2", fleetInstance("i-0bbb222", "m6i.large", "subnet-b1", "spot"), ""));

        LaunchedInstance launch = provider.launch(request(
                CapacityType.SPOT,
                List.of(new Offering("m5.large", "us-east-1a"), new Offering("m6i.large", "us-east-1b"))));

        assertThat(launch.providerId()).hasToString("aws:///us-east-1b/i-0bbb222");
        assertThat(launch.offering()).isEqualTo(new Offering("m6i.large", "us-east-1b"));
        assertThat(launch.passedOver())
                .singleElement()
                .asString()
                .startsWith("m5.large in us-east-1a: InsufficientInstanceCapacity");
        List<Map<String, String>> calls = ec2.calls("CreateFleet");
        assertThat(calls).hasSize(2);
        // a second placement reusing the first token would be IdempotentParameterMismatch at EC2
        assertThat(calls.get(1).get("ClientToken")).hasSize(64).isNotEqualTo(TOKEN);
        assertThat(calls.get(1)).containsEntry("LaunchTemplateConfigs.1.Overrides.1.SubnetId", "subnet-b1");
    }

    @Test
    void acceptsPartialFleetThatLaunchedAnInstance() {
        ec2.answer(
                LocalAws.action("CreateFleet"),
                fleet(
                        "fleet-1",
                        fleetInstance("i-0aaa111", "m5.large", "subnet-a2", "spot"),
                        fleetError("InsufficientInstanceCapacity", "m5.large", "subnet-a1", "spot")));

        LaunchedInstance launch = provider.launch(request(
                CapacityType.SPOT,
                List.of(new Offering("m5.large", "us-east-1a"), new Offering("m6i.large", "us-east-1b"))));

        assertThat(launch.instanceId()).isEqualTo("i-0aaa111");
        assertThat(launch.offering()).isEqualTo(new Offering("m5.large", "us-east-1a"));
        assertThat(launch.passedOver()).isEmpty();
        assertThat(ec2.calls("CreateFleet")).hasSize(1);
    }

    @Test
    void reportsEveryPlacementTriedWhenNoneHasCapacity() {
        ec2.answer(
                LocalAws.action("CreateFleet"),
                fleet("fleet-1", "", fleetError("InsufficientInstanceCapacity", "m5.large", "subnet-a1", "spot")));

        assertThatThrownBy(() -> provider.launch(request(
                        CapacityType.SPOT,
                        List.of(new Offering("m5.large", "us-east-1a"), new Offering("m5.large", "us-east-1b")))))
                .isInstanceOfSatisfying(
                        FleetLaunchException.class,
                        e -> assertThat(e.unfilled())
                                .extracting(FleetAttempt::placement)
                                .containsExactly(
                                        new Offering("m5.large", "us-east-1a"), new Offering("m5.large", "us-east-1b")))
                .hasMessageContaining("InsufficientInstanceCapacity");
    }

    @Test
    void retriesThrottledCallThenSucceeds() {
        ec2.server.stubFor(LocalAws.action("CreateFleet")
                .inScenario("throttled")
                .whenScenarioStateIs(STARTED)
                .willReturn(
                        LocalAws.xml(503, LocalAws.error("RequestLimitExceeded", "Request limit exceeded.", "req-1")))
                .willSetStateTo("recovered"));
        ec2.server.stubFor(LocalAws.action("CreateFleet")
                .inScenario("throttled")
                .whenScenarioStateIs("recovered")
                .willReturn(LocalAws.xml(
                        200, fleet("fleet-1", fleetInstance("i-0aaa111", "m5.large", "subnet-a1", "spot"), ""))));

        assertThat(provider.launch(request(CapacityType.SPOT)).instanceId()).isEqualTo("i-0aaa111");
        assertThat(ec2.calls("CreateFleet"))
                .hasSize(2)
                .allSatisfy(call -> assertThat(call).containsEntry("ClientToken", TOKEN));
    }

    @Test
    void givesUpAfterBoundedRetriesNamingErrorCodeAndRequestId() {
        ec2.server.stubFor(LocalAws.action("CreateFleet")
                .willReturn(
                        LocalAws.xml(503, LocalAws.error("RequestLimitExceeded", "Request limit exceeded.", "req-9"))));

        assertThatThrownBy(() -> provider.launch(request(CapacityType.SPOT)))
                .isInstanceOfSatisfying(AwsRequestException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.requestId()).isEqualTo("req-9");
                })
                .hasMessageContaining("CreateFleet for m5.large in us-east-1a")
                .hasMessageContaining("RequestLimitExceeded")
                .hasMessageContaining("req-9");
        assertThat(ec2.calls("CreateFleet")).hasSize(3);
    }

    @Test
    void stopsOnACallEc2RejectsWithoutTryingOtherPlacements() {
        ec2.server.stubFor(LocalAws.action("CreateFleet")
                .willReturn(LocalAws.xml(
                        400,
                        LocalAws.error(
                                "InvalidLaunchTemplateId.NotFound",
                                "The specified launch template, with template ID lt-0abc, does not exist.",
                                "req-2"))));

        assertThatThrownBy(() -> provider.launch(request(
                        CapacityType.SPOT,
                        List.of(new Offering("m5.large", "us-east-1a"), new Offering("m6i.large", "us-east-1b")))))
                .isInstanceOfSatisfying(
                        AwsRequestException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("InvalidLaunchTemplateId.NotFound"))
                .hasMessageContaining("lt-0abc");
        assertThat(ec2.calls("CreateFleet")).hasSize(1);
    }
}

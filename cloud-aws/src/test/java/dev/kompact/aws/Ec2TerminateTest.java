package dev.kompact.aws;

import static dev.kompact.aws.Ec2Responses.instance;
import static dev.kompact.aws.Ec2Responses.terminated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ec2TerminateTest {

    private final LocalAws ec2 = new LocalAws();

    @AfterEach
    void stop() {
        ec2.close();
    }

    private Ec2CloudProvider provider(boolean terminateUntagged) {
        return new Ec2CloudProvider(
                ec2.aws(),
                new Ec2ProviderSettings(
                        "prod", "lt-0abc", "3", Map.of("us-east-1a", List.of("subnet-a1")), terminateUntagged));
    }

    @Test
    void terminatesAnInstanceTaggedForThisCluster() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "running", 16, "prod"));
        ec2.answer(LocalAws.action("TerminateInstances"), terminated("i-0aaa111"));

        try (Ec2CloudProvider provider = provider(false)) {
            provider.checkTerminable("i-0aaa111");
            provider.terminate("i-0aaa111");
        }

        assertThat(ec2.calls("DescribeInstances").get(0)).containsEntry("InstanceId.1", "i-0aaa111");
        assertThat(ec2.calls("TerminateInstances"))
                .singleElement()
                .satisfies(call -> assertThat(call).containsEntry("InstanceId.1", "i-0aaa111"));
    }

    @Test
    void terminateCallsNothingButTerminateInstances() {
        // the executor's last look at the node precedes this call: a DescribeInstances here would widen that window
        ec2.answer(LocalAws.action("TerminateInstances"), terminated("i-0aaa111"));

        try (Ec2CloudProvider provider = provider(false)) {
            provider.terminate("i-0aaa111");
        }

        assertThat(ec2.calls("DescribeInstances")).isEmpty();
        assertThat(ec2.calls("TerminateInstances")).hasSize(1);
    }

    @Test
    void passesAnAlreadyTerminatedInstance() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "terminated", 48, "staging"));

        try (Ec2CloudProvider provider = provider(false)) {
            provider.checkTerminable("i-0aaa111");
        }

        assertThat(ec2.calls("TerminateInstances")).isEmpty();
    }

    @Test
    void passesAnUnknownInstance() {
        ec2.server.stubFor(LocalAws.action("DescribeInstances")
                .willReturn(LocalAws.xml(
                        400,
                        LocalAws.error(
                                "InvalidInstanceID.NotFound", "The instance ID 'i-0aaa111' does not exist", "req-3"))));

        try (Ec2CloudProvider provider = provider(false)) {
            provider.checkTerminable("i-0aaa111");
        }

        assertThat(ec2.calls("TerminateInstances")).isEmpty();
    }

    @Test
    void treatsAnInstanceVanishingBeforeTerminateAsDone() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "running", 16, "prod"));
        ec2.server.stubFor(LocalAws.action("TerminateInstances")
                .willReturn(LocalAws.xml(
                        400,
                        LocalAws.error(
                                "InvalidInstanceID.NotFound", "The instance ID 'i-0aaa111' does not exist", "req-4"))));

        try (Ec2CloudProvider provider = provider(false)) {
            provider.terminate("i-0aaa111");
        }

        assertThat(ec2.calls("TerminateInstances")).hasSize(1);
    }

    @Test
    void refusesAnInstanceOfAnotherCluster() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "running", 16, "staging"));

        try (Ec2CloudProvider provider = provider(false)) {
            assertThatThrownBy(() -> provider.checkTerminable("i-0aaa111"))
                    .isInstanceOf(ForeignInstanceException.class)
                    .hasMessageContaining("i-0aaa111")
                    .hasMessageContaining("\"staging\"")
                    .hasMessageContaining("\"prod\"");
        }

        assertThat(ec2.calls("TerminateInstances")).isEmpty();
    }

    @Test
    void refusesAnUntaggedInstance() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "running", 16, null));

        try (Ec2CloudProvider provider = provider(false)) {
            assertThatThrownBy(() -> provider.checkTerminable("i-0aaa111"))
                    .isInstanceOf(ForeignInstanceException.class)
                    .hasMessageContaining("absent")
                    .hasMessageContaining("terminateUntagged");
        }

        assertThat(ec2.calls("TerminateInstances")).isEmpty();
    }

    @Test
    void terminatesAnUntaggedInstanceWhenConfiguredTo() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "running", 16, null));
        ec2.answer(LocalAws.action("TerminateInstances"), terminated("i-0aaa111"));

        try (Ec2CloudProvider provider = provider(true)) {
            provider.checkTerminable("i-0aaa111");
            provider.terminate("i-0aaa111");
        }

        assertThat(ec2.calls("TerminateInstances")).hasSize(1);
    }

    @Test
    void surfacesOtherTerminateErrorsWithCodeAndRequestId() {
        ec2.answer(LocalAws.action("DescribeInstances"), instance("i-0aaa111", "running", 16, "prod"));
        ec2.server.stubFor(LocalAws.action("TerminateInstances")
                .willReturn(LocalAws.xml(
                        403,
                        LocalAws.error(
                                "UnauthorizedOperation",
                                "You are not authorized to perform this operation.",
                                "req-5"))));

        try (Ec2CloudProvider provider = provider(false)) {
            assertThatThrownBy(() -> provider.terminate("i-0aaa111"))
                    .isInstanceOfSatisfying(AwsRequestException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo("UnauthorizedOperation");
                        assertThat(e.requestId()).isEqualTo("req-5");
                    })
                    .hasMessageContaining("TerminateInstances for i-0aaa111");
        }
    }
}

package dev.kompact.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.net.Eni;
import dev.kompact.executor.cloud.AddressRefusedException;
import dev.kompact.executor.cloud.PodAddresses.Moved;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A pod's address moved between two nodes' network interfaces by the real SDK over HTTP, against EC2's interfaces
 * kept as state on WireMock ({@link LocalEnis}). Node A is i-0a, with its primary ENI eni-a0 holding the pod's
 * 10.0.1.23; node B is i-0b, whose ENI eni-b0 the VPC CNI manages and eni-b1 (MAC 02:00:00:00:00:b1) it does not,
 * all in subnet-1001, 10.0.1.0/24.
 */
class Ec2PodAddressesTest {

    static final String POD = "10.0.1.23";

    private final LocalEnis enis = new LocalEnis();
    private final LocalAws ec2 = new LocalAws(enis);

    Ec2PodAddressesTest() {
        enis.serve(ec2);
    }

    @AfterEach
    void stop() {
        ec2.close();
    }

    private LocalEnis twoNodes(int unmanagedLimit) {
        return enis.eni("eni-a0", "i-0a", "10.0.1.", false, 10, "10.0.1.10", POD, "10.0.1.24")
                .eni("eni-b0", "i-0b", "10.0.1.", false, 10, "10.0.1.20", "10.0.1.21")
                .eni("eni-b1", "i-0b", "10.0.1.", true, unmanagedLimit, "10.0.1.30");
    }

    @Test
    void movesTheAddressToTheTargetsUnmanagedInterfaceInOneReassignment() {
        twoNodes(10);

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThat(addresses.move(POD, "i-0a", "i-0b"))
                    .isEqualTo(new Moved(new Eni("02:00:00:00:00:b1", "10.0.1.0/24"), Optional.of("eni-a0")));
        }

        assertThat(enis.holder(POD)).contains("eni-b1");
        assertThat(ec2.calls("DescribeSubnets"))
                .singleElement()
                .satisfies(call -> assertThat(call).containsEntry("SubnetId.1", "subnet-1001"));
        assertThat(ec2.calls("AssignPrivateIpAddresses"))
                .singleElement()
                .satisfies(call -> assertThat(call)
                        .containsEntry("NetworkInterfaceId", "eni-b1")
                        .containsEntry("PrivateIpAddress.1", POD)
                        .containsEntry("AllowReassignment", "true"));
        assertThat(ec2.calls("DescribeNetworkInterfaces").get(0))
                .containsEntry("Filter.1.Name", "attachment.instance-id")
                .containsEntry("Filter.1.Value.1", "i-0a")
                .containsEntry("Filter.1.Value.2", "i-0b");
        assertThat(ec2.calls("UnassignPrivateIpAddresses"))
                .as("the reassignment takes it off the source")
                .isEmpty();
    }

    @Test
    void movesItBackToTheSourceAfterwards() {
        twoNodes(10);

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            addresses.move(POD, "i-0a", "i-0b");
            addresses.moveBack(POD, "i-0a", "i-0b", Optional.empty());
        }

        // i-0a has no unmanaged interface: the address returns to the one it came from
        assertThat(enis.holder(POD)).contains("eni-a0");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).hasSize(2);
    }

    @Test
    void movesItBackOntoTheInterfaceItCameFromWhereTheSourcePodsRoutesSendItsReplies() {
        twoNodes(10).eni("eni-a1", "i-0a", "10.0.1.", true, 10, "10.0.1.11");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            Moved moved = addresses.move(POD, "i-0a", "i-0b");
            addresses.moveBack(POD, "i-0a", "i-0b", moved.origin());
        }

        assertThat(enis.holder(POD)).as("not i-0a's unmanaged eni-a1").contains("eni-a0");
        assertThat(ec2.calls("DescribeSubnets"))
                .as("the move's only: no agent routes by the interface a move back takes")
                .hasSize(1);
    }

    @Test
    void movesItBackOntoTheSourcesUnmanagedInterfaceWhenItsOriginIsUnknown() {
        twoNodes(10).eni("eni-a1", "i-0a", "10.0.1.", true, 10, "10.0.1.11");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            addresses.move(POD, "i-0a", "i-0b");
            addresses.moveBack(POD, "i-0a", "i-0b", Optional.empty());
        }

        assertThat(enis.holder(POD)).contains("eni-a1");
    }

    @Test
    void aRetryAfterAnAssignmentWhoseAnswerWasLostFindsItDoneAndAssignsNothing() {
        twoNodes(10);
        enis.loseAnswers(1);

        try (Ec2PodAddresses once =
                new Ec2PodAddresses(ec2.aws().withRetries(1, Duration.ofMillis(5), Duration.ofMillis(5)))) {
            assertThatThrownBy(() -> once.move(POD, "i-0a", "i-0b"))
                    .isInstanceOfSatisfying(
                            AwsRequestException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("InternalError"))
                    .hasMessageContaining("AssignPrivateIpAddresses of " + POD + " to eni-b1 of i-0b");
        }
        try (Ec2PodAddresses retried = new Ec2PodAddresses(ec2.aws())) {
            assertThat(retried.move(POD, "i-0a", "i-0b"))
                    .as("the interface it is already on, for the target's agent to route it by")
                    .isEqualTo(new Moved(new Eni("02:00:00:00:00:b1", "10.0.1.0/24"), Optional.empty()));
        }

        assertThat(enis.holder(POD)).contains("eni-b1");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).hasSize(1);
    }

    @Test
    void aMoveBackOfAnAddressNeverMovedAssignsNothing() {
        twoNodes(10);

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            addresses.moveBack(POD, "i-0a", "i-0b", Optional.of("eni-a0"));
        }

        assertThat(enis.holder(POD)).contains("eni-a0");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void refusesWhenTheTargetsUnmanagedInterfaceHasNoFreeSlot() {
        twoNodes(1);

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("no free slot for " + POD + " on i-0b")
                    .hasMessageContaining("eni-b1 (1 addresses)");
        }

        assertThat(enis.holder(POD)).as("left where it was").contains("eni-a0");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).hasSize(1);
    }

    @Test
    void refusesAnInterfaceWhoseMacAddressTheAgentsCannotRouteByBeforeAssigning() {
        twoNodes(10).mac("eni-b1", "02:00:00:00:00");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("EC2 describes eni-b1 of i-0b in a way the node agents cannot route by")
                    .hasMessageContaining("MAC address must be six lower-case hex pairs")
                    .hasMessageContaining("'02:00:00:00:00'");
        }

        assertThat(enis.holder(POD)).contains("eni-a0");
        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void refusesASubnetWhoseCidrDoesNotHoldTheAddressBeforeAssigning() {
        twoNodes(10).cidr("10.0.1.", "10.0.2.0/24");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("subnet-1001's CIDR 10.0.2.0/24 does not hold " + POD);
        }

        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void refusesAMalformedSubnetCidrBeforeAssigning() {
        twoNodes(10).cidr("10.0.1.", "10.0.1.0");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("subnet must be an IPv4 CIDR from /16 to /28")
                    .hasMessageContaining("'10.0.1.0'");
        }

        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void refusesATargetWhoseInterfacesTheVpcCniAllManages() {
        enis.eni("eni-a0", "i-0a", "10.0.1.", false, 10, "10.0.1.10", POD)
                .eni("eni-b0", "i-0b", "10.0.1.", false, 10, "10.0.1.20");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("none of i-0b's network interfaces in subnet-1001 is tagged")
                    .hasMessageContaining("node.k8s.amazonaws.com/no_manage=true")
                    .hasMessageContaining("ipamd");
        }

        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void refusesATargetInAnotherSubnet() {
        enis.eni("eni-a0", "i-0a", "10.0.1.", false, 10, "10.0.1.10", POD)
                .eni("eni-b1", "i-0b", "10.0.2.", true, 10, "10.0.2.30");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining(POD + " is in subnet-1001, and i-0b has no network interface there");
        }

        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void refusesAnAddressAThirdInstanceHoldsAndNamesIt() {
        twoNodes(10).eni("eni-c0", "i-0c", "10.0.1.", false, 10, "10.0.1.40", "10.0.1.77");

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move("10.0.1.77", "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("10.0.1.77 is on neither i-0a nor i-0b: it is on eni-c0 of i-0c");
            assertThatThrownBy(() -> addresses.move("10.0.1.99", "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("no network interface holds it");
        }

        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
        assertThat(ec2.calls("DescribeNetworkInterfaces").get(1))
                .containsEntry("Filter.1.Name", "addresses.private-ip-address")
                .containsEntry("Filter.1.Value.1", "10.0.1.77")
                .containsEntry("Filter.2.Name", "vpc-id");
    }

    @Test
    void refusesTheSourcesPrimaryAddress() {
        twoNodes(10);

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move("10.0.1.10", "i-0a", "i-0b"))
                    .isInstanceOf(AddressRefusedException.class)
                    .hasMessageContaining("10.0.1.10 is the primary address of eni-a0 of i-0a");
        }

        assertThat(ec2.calls("AssignPrivateIpAddresses")).isEmpty();
    }

    @Test
    void surfacesOtherErrorsWithCodeAndRequestId() {
        ec2.server.stubFor(LocalAws.action("DescribeNetworkInterfaces")
                .willReturn(LocalAws.xml(
                        403,
                        LocalAws.error(
                                "UnauthorizedOperation",
                                "You are not authorized to perform this operation.",
                                "req-9"))));

        try (Ec2PodAddresses addresses = new Ec2PodAddresses(ec2.aws())) {
            assertThatThrownBy(() -> addresses.move(POD, "i-0a", "i-0b"))
                    .isInstanceOfSatisfying(AwsRequestException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo("UnauthorizedOperation");
                        assertThat(e.requestId()).isEqualTo("req-9");
                    })
                    .hasMessageContaining("DescribeNetworkInterfaces for the network interfaces of i-0a and i-0b");
        }
    }
}

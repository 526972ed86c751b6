package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.net.VpcRoutes;
import dev.kompact.agent.v1.NetworkInterface;
import dev.kompact.agent.v1.PodNetwork;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.PreparePodRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PreparePod refuses what the target could not route, before the source freezes. */
class TargetPodMigrationsTest {
    @TempDir
    Path state;

    @Test
    void bridgeAgentRefusesAnEni() {
        assertRefused(target(Optional.empty()), eni("0a:1b:2c:3d:4e:5f", "10.0.32.0/19"), "--pod-network bridge");
    }

    @Test
    void vpcCniAgentRefusesAMoveWithoutAnEni() {
        assertRefused(target(Optional.of(new VpcRoutes())), null, "names no target ENI");
    }

    @Test
    void vpcCniAgentRefusesAMalformedMac() {
        assertRefused(target(Optional.of(new VpcRoutes())), eni("0A-1B", "10.0.32.0/19"), "'0A-1B'");
    }

    @Test
    void vpcCniAgentRefusesAnEniOfAnotherSubnet() {
        assertRefused(
                target(Optional.of(new VpcRoutes())),
                eni("0a:1b:2c:3d:4e:5f", "10.0.64.0/19"),
                "10.0.40.7 is not in the ENI's subnet 10.0.64.0/19");
    }

    @Test
    void vpcCniAgentRefusesAddressesOfEarlierMoves() {
        assertRefused(
                target(Optional.of(new VpcRoutes())),
                eni("0a:1b:2c:3d:4e:5f", "10.0.32.0/19"),
                "10.0.33.9/32",
                "carries addresses of earlier moves beside the pod's own 10.0.40.7");
    }

    private TargetPodMigrations target(Optional<VpcRoutes> vpc) {
        return new TargetPodMigrations("node-b", state, null, new SandboxNetwork(), vpc, null, 1, 1);
    }

    private static NetworkInterface eni(String mac, String subnet) {
        return NetworkInterface.newBuilder()
                .setMacAddress(mac)
                .setSubnetCidr(subnet)
                .build();
    }

    private static void assertRefused(TargetPodMigrations target, NetworkInterface eni, String why) {
        assertRefused(target, eni, null, why);
    }

    private static void assertRefused(TargetPodMigrations target, NetworkInterface eni, String carried, String why) {
        PreparePodRequest.Builder request = PreparePodRequest.newBuilder()
                .setMigrationId("m1")
                .setSourceNode("node-a")
                .setTargetPod(PodRef.newBuilder().setNamespace("shop").setName("web-b"))
                .addContainerNames("web")
                .setNetwork(
                        PodNetwork.newBuilder().setAddressCidr("10.0.40.7/19").setInterfaceName("eth0"));
        if (eni != null) {
            request.setTargetEni(eni);
        }
        if (carried != null) {
            request.getNetworkBuilder().addCarriedCidrs(carried);
        }
        assertThatThrownBy(() -> target.prepare(request.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription())
                            .startsWith("pod migration m1 into node node-b: ")
                            .contains(why);
                });
        assertThat(target.has("m1")).isFalse();
    }
}

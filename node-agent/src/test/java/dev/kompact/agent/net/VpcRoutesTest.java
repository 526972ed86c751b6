package dev.kompact.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.testing.VpcNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VpcRoutesTest {
    private VpcNode b;
    private VpcRoutes routes;

    @BeforeEach
    void node(@TempDir Path work) {
        TestRun.claim(work);
        b = new VpcNode();
        routes = new VpcRoutes(b.nodeNamespace());
    }

    @AfterEach
    void removeNode() {
        b.close();
    }

    @Test
    void podAnswersOnTheMovedAddressThroughTheEniThatHoldsIt() {
        b.serveInPod();
        VpcRoutes.EniLink eni = routes.link(b.eni());
        String veth = new SandboxNetwork(b.nodeNamespace()).hostEnd(b.podNamespace(), "eth0");
        assertThat(veth).isEqualTo(VpcNode.POD_VETH);

        routes.routeFrom(VpcNode.MOVED, eni);
        routes.routeTo(VpcNode.MOVED, veth);
        long sentOnEni = b.transmittedPackets(VpcNode.ENI);

        assertThat(b.askUntilAnswered("hello")).isEqualTo("HELLO");
        // the VPC drops what comes from the moved address on the primary: the answer left through the ENI
        assertThat(b.transmittedPackets(VpcNode.ENI)).isGreaterThan(sentOnEni);
    }

    @Test
    void withoutTheSourceRuleTheReplyTakesThePrimaryAndIsDropped() {
        b.serveInPod();
        VpcRoutes.EniLink eni = routes.link(b.eni());
        routes.routeFrom(VpcNode.MOVED, eni);
        routes.routeTo(VpcNode.MOVED, VpcNode.POD_VETH);
        b.askUntilAnswered("hello");
        b.inNode("ip", "rule", "del", "from", VpcNode.MOVED + "/32");

        assertThat(b.askPod("hello").exitCode()).isNotZero();
    }

    @Test
    void removeLeavesNoRuleNorRouteBehind() {
        String rulesBefore = b.inNode("ip", "rule", "show");
        VpcRoutes.EniLink eni = routes.link(b.eni());
        routes.routeFrom(VpcNode.MOVED, eni);
        routes.routeTo(VpcNode.MOVED, VpcNode.POD_VETH);

        routes.remove(VpcNode.MOVED, eni.table(), VpcNode.POD_VETH);

        assertThat(b.inNode("ip", "rule", "show")).isEqualTo(rulesBefore);
        assertThat(b.inNode("ip", "route", "show", "table", "all"))
                .doesNotContain(VpcNode.MOVED)
                .doesNotContain("table " + eni.table());
    }

    @Test
    void repeatingEachStepAfterACrashDoesNotFail() {
        VpcRoutes.EniLink eni = routes.link(b.eni());
        routes.remove(VpcNode.MOVED, eni.table(), VpcNode.POD_VETH);
        for (int i = 0; i < 2; i++) {
            routes.routeFrom(VpcNode.MOVED, eni);
            routes.routeTo(VpcNode.MOVED, VpcNode.POD_VETH);
        }
        assertThat(b.inNode("ip", "rule", "show", "from", VpcNode.MOVED + "/32").lines())
                .hasSize(1);

        routes.remove(VpcNode.MOVED, eni.table(), VpcNode.POD_VETH);
        routes.remove(VpcNode.MOVED, eni.table(), VpcNode.POD_VETH);
        assertThat(b.inNode("ip", "rule", "show")).doesNotContain(VpcNode.MOVED);
    }

    @Test
    void keepsTheEnisTableWhileAnotherMovedAddressUsesIt() {
        VpcRoutes.EniLink eni = routes.link(b.eni());
        routes.routeFrom(VpcNode.MOVED, eni);
        routes.routeFrom("10.214.0.51", eni);

        routes.remove(VpcNode.MOVED, eni.table(), VpcNode.POD_VETH);

        assertThat(b.inNode("ip", "route", "show", "table", Integer.toString(eni.table())))
                .contains("default via " + VpcNode.GATEWAY);
        routes.remove("10.214.0.51", eni.table(), VpcNode.POD_VETH);
        assertThat(b.inNode("ip", "route", "show", "table", "all")).doesNotContain("table " + eni.table());
    }

    @Test
    void refusesAnEniWhoseMacNoInterfaceOfTheNodeHas() {
        assertThatThrownBy(() -> routes.link(new Eni("0a:00:00:00:00:99", VpcNode.SUBNET)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no interface on this node has the MAC address 0a:00:00:00:00:99");
    }

    /** EC2 remaps asynchronously, and here the server takes a moment to listen. */
}

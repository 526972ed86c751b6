package dev.kompact.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.testing.VpcNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod cut off at its veth's node end during a restore, on network namespaces plumbed as the AWS VPC CNI does. */
class SandboxNetworkTest {
    private VpcNode b;
    private SandboxNetwork network;

    @BeforeEach
    void node(@TempDir Path work) {
        TestRun.claim(work);
        b = new VpcNode();
        network = new SandboxNetwork(b.nodeNamespace());
    }

    @AfterEach
    void removeNode() {
        b.close();
    }

    @Test
    void reconnectingPutsBackTheCnisHostRouteToThePodThatTheCutDropped() {
        SandboxNetwork.Cut cut = network.disconnect(b.podNamespace(), "eth0");

        assertThat(b.inNode("ip", "route", "show"))
                .as("the kernel deletes the routes through a link it takes down")
                .doesNotContain(VpcNode.OWN);

        network.reconnect(cut);

        assertThat(b.inNode("ip", "route", "show")).contains(VpcNode.OWN + " dev " + VpcNode.POD_VETH + " scope link");
        assertThat(b.inNode("ip", "route", "get", VpcNode.OWN)).contains("dev " + VpcNode.POD_VETH);
    }
}

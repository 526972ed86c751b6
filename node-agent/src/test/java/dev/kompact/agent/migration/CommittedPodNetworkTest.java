package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.net.PodNetwork;
import dev.kompact.agent.net.SandboxNetwork;
import dev.kompact.agent.net.VpcRoutes;
import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.testing.VpcNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod restored on node B after its migration committed, on network namespaces plumbed as the VPC CNI does. */
class CommittedPodNetworkTest {
    private static final PodNetwork.Address MOVED = new PodNetwork.Address("eth0", VpcNode.MOVED + "/24");

    @TempDir
    Path state;

    private VpcNode b;
    private SandboxNetwork network;
    private MovedVpcAddresses moved;
    private SandboxNetwork.Cut cut;

    @BeforeEach
    void restoredDark() {
        TestRun.claim(state);
        b = new VpcNode();
        network = new SandboxNetwork(b.nodeNamespace());
        VpcRoutes routes = new VpcRoutes(b.nodeNamespace());
        moved = new MovedVpcAddresses(state, routes);
        // as the restore leaves it before the commit
        cut = network.disconnect(b.podNamespace(), "eth0");
        moved.add("m1", VpcNode.MOVED, routes.link(b.eni()), VpcNode.POD_VETH);
    }

    @AfterEach
    void removeNode() {
        b.close();
    }

    @Test
    void theCommittedPodAnswersOnTheMovedAddressWithoutAWarning() {
        b.serveInPod();

        String warning =
                CommittedPodNetwork.connect("m1", network, Optional.of(moved), b.podNamespace(), cut, List.of(MOVED));

        assertThat(warning).isEmpty();
        assertThat(b.askUntilAnswered("hello")).isEqualTo("HELLO");
    }

    /** The agent stopped between the commit marker and connecting the pod: its next start connects it. */
    @Test
    void aPodCommittedJustBeforeItsAgentStoppedIsConnectedWhenTheAgentStartsAgain() {
        Path migration = FileTrees.createDirectories(state.resolve("incoming-pods/m1"));
        CommittedPodNetwork.persist(migration, b.podNamespace(), cut, List.of(MOVED), true);
        new TargetOutcomes("node-b", state).markCommitted("m1");
        b.serveInPod();

        new TargetPodMigrations(
                        "node-b", state, null, network, Optional.of(new VpcRoutes(b.nodeNamespace())), null, 1, 1)
                .cleanUpAfterCrash();

        assertThat(b.askUntilAnswered("hello")).isEqualTo("HELLO");
        assertThat(migration).doesNotExist();
    }

    @Test
    void aRouteThatCannotBeAddedAfterTheCommitIsAWarningNotAFailure() {
        b.inNode("ip", "netns", "del", b.pod); // the sandbox went, its veth with it, just after the commit marker

        String warning =
                CommittedPodNetwork.connect("m1", network, Optional.of(moved), b.podNamespace(), cut, List.of(MOVED));

        assertThat(warning)
                .startsWith("pod migration m1 committed, but its pod may be unreachable: ")
                .contains("reconnecting its veth " + VpcNode.POD_VETH)
                .contains("the host route to " + VpcNode.MOVED);
    }
}

package dev.kompact.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.agent.net.VpcRoutes;
import dev.kompact.agent.testing.TestRun;
import dev.kompact.agent.testing.VpcNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovedVpcAddressesTest {
    @TempDir
    Path state;

    private VpcNode b;
    private VpcRoutes routes;
    private MovedVpcAddresses moved;

    @BeforeEach
    void node() {
        TestRun.claim(state);
        b = new VpcNode();
        routes = new VpcRoutes(b.nodeNamespace());
        moved = new MovedVpcAddresses(state, routes);
    }

    @AfterEach
    void removeNode() {
        b.close();
    }

    @Test
    void rollbackRemovesWhatTheMigrationAdded() {
        moved.add("m1", VpcNode.MOVED, routes.link(b.eni()), VpcNode.POD_VETH);
        moved.routeToPod(VpcNode.MOVED);

        moved.remove("m1", VpcNode.MOVED);

        assertNothingLeft();
    }

    @Test
    void rollbackOfAnotherMigrationLeavesTheAddressesRoutes() {
        moved.add("m1", VpcNode.MOVED, routes.link(b.eni()), VpcNode.POD_VETH);

        moved.remove("m2", VpcNode.MOVED);

        assertThat(b.inNode("ip", "rule", "show")).contains(VpcNode.MOVED);
    }

    @Test
    void restartedAgentRemovesTheRoutesOfAMigrationThatNeverCommitted() {
        moved.add("m1", VpcNode.MOVED, routes.link(b.eni()), VpcNode.POD_VETH);

        new MovedVpcAddresses(state, routes).cleanUpAfterCrash(id -> false);

        assertNothingLeft();
    }

    @Test
    void restartedAgentKeepsTheRoutesOfACommittedPodThatStillRuns() {
        moved.add("m1", VpcNode.MOVED, routes.link(b.eni()), VpcNode.POD_VETH);
        moved.routeToPod(VpcNode.MOVED);

        new MovedVpcAddresses(state, routes).cleanUpAfterCrash(id -> true);

        assertThat(b.inNode("ip", "rule", "show")).contains(VpcNode.MOVED);
        assertThat(b.inNode("ip", "route", "show")).contains(VpcNode.MOVED + " dev " + VpcNode.POD_VETH);
    }

    @Test
    void routesGoOnceThePodsSandboxIsGone() {
        moved.add("m1", VpcNode.MOVED, routes.link(b.eni()), VpcNode.POD_VETH);
        moved.routeToPod(VpcNode.MOVED);
        b.inNode("ip", "netns", "del", b.pod); // the kubelet deleting the sandbox takes its veth along

        moved.removeGone();

        assertNothingLeft();
    }

    private void assertNothingLeft() {
        assertThat(b.inNode("ip", "rule", "show")).doesNotContain(VpcNode.MOVED);
        assertThat(b.inNode("ip", "route", "show", "table", "all"))
                .doesNotContain(VpcNode.MOVED)
                .doesNotContain("table 2");
        assertThat(state.resolve("vpc-addresses")).isEmptyDirectory();
    }
}

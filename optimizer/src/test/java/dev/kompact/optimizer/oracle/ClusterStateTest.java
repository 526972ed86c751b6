package dev.kompact.optimizer.oracle;

import static dev.kompact.optimizer.testing.Cluster.affinity;
import static dev.kompact.optimizer.testing.Cluster.antiAffinity;
import static dev.kompact.optimizer.testing.Cluster.pod;
import static dev.kompact.optimizer.testing.Cluster.zoneSpread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.testing.Cluster;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

    @Test
    void refusesPodThatDoesNotFitTheFreeResources() {
        ClusterState state = new ClusterState(
                new Cluster().node("a", "z1").pod(pod("big", "a", "x", 1500)).snapshot());

        assertThat(state.whyNot(pod("more", null, "y", 600), "a"))
                .hasValue("node a has 500 cpu free, pod requests 600");
        assertThat(state.whyNot(pod("less", null, "y", 500), "a")).isEmpty();
    }

    @Test
    void judgesAPlacedPodAsIfItWereNotThere() {
        Pod big = pod("big", "a", "x", 1500);
        ClusterState state =
                new ClusterState(new Cluster().node("a", "z1").pod(big).snapshot());

        assertThat(state.whyNot(big, "a")).isEmpty();
    }

    @Test
    void refusesUntoleratedTaint() {
        ClusterState state = new ClusterState(new Cluster()
                .node("gpu", "z1", new Taint("nvidia.com/gpu", "true", TaintEffect.NoSchedule))
                .snapshot());
        Pod tolerating = pod(
                "t",
                null,
                "x",
                100,
                AffinityRules.NONE,
                List.of(new Toleration("nvidia.com/gpu", Toleration.Operator.Exists, null, null)));

        assertThat(state.whyNot(pod("p", null, "x", 100), "gpu"))
                .hasValueSatisfying(r -> assertThat(r).contains("taint"));
        assertThat(state.whyNot(tolerating, "gpu")).isEmpty();
    }

    @Test
    void refusesPodNextToWhatItsAntiAffinityPicks() {
        ClusterState state = new ClusterState(new Cluster()
                .node("a", "z1")
                .node("b", "z1")
                .pod(pod("web-1", "a", "web", 100))
                .snapshot());
        Pod web2 = pod("web-2", null, "web", 100, antiAffinity("web", WellKnownLabels.HOSTNAME), List.of());

        assertThat(state.whyNot(web2, "a")).hasValue("pod anti-affinity (kubernetes.io/hostname) with default/web-1");
        assertThat(state.whyNot(web2, "b")).isEmpty();
    }

    @Test
    void refusesPodThatAnExistingPodsAntiAffinityPicksAcrossTheZone() {
        ClusterState state = new ClusterState(new Cluster()
                .node("a", "z1")
                .node("b", "z1")
                .node("c", "z2")
                .pod(pod("db-1", "a", "db", 100, antiAffinity("web", WellKnownLabels.ZONE), List.of()))
                .snapshot());

        assertThat(state.whyNot(pod("web-1", null, "web", 100), "b"))
                .hasValue("pod anti-affinity of default/db-1 (topology.kubernetes.io/zone)");
        assertThat(state.whyNot(pod("web-1", null, "web", 100), "c")).isEmpty();
    }

    @Test
    void requiresAffinityPartnerButLetsTheFirstOfItsKindStartAnywhere() {
        ClusterState state = new ClusterState(new Cluster()
                .node("a", "z1")
                .node("b", "z2")
                .pod(pod("cache-1", "a", "cache", 100))
                .snapshot());
        Pod web = pod("web-1", null, "web", 100, affinity("cache", WellKnownLabels.ZONE), List.of());
        Pod firstCache = pod("cache-2", null, "lonely", 100, affinity("lonely", WellKnownLabels.HOSTNAME), List.of());

        assertThat(state.whyNot(web, "b")).hasValueSatisfying(r -> assertThat(r).startsWith("pod affinity"));
        assertThat(state.whyNot(web, "a")).isEmpty();
        assertThat(state.whyNot(firstCache, "b")).isEmpty();
    }

    @Test
    void refusesZoneSkewBeyondMaxButAcceptsExactlyAtIt() {
        ClusterState state = new ClusterState(new Cluster()
                .node("a", "z1")
                .node("b", "z2")
                .pod(pod("web-1", "a", "web", 100, zoneSpread("web", 1), List.of()))
                .snapshot());
        Pod web2 = pod("web-2", null, "web", 100, zoneSpread("web", 1), List.of());

        // z1 would hold 2 and z2 none: skew 2 > 1; in z2 the skew is 1 - 1 = 0
        assertThat(state.whyNot(web2, "a"))
                .hasValue("topology spread (topology.kubernetes.io/zone) skew would be 2, max 1");
        assertThat(state.whyNot(web2, "b")).isEmpty();
        state.place(web2, "b");
        // with one in each zone, a third anywhere makes a skew of exactly 1: allowed
        assertThat(state.whyNot(pod("web-3", null, "web", 100, zoneSpread("web", 1), List.of()), "a"))
                .isEmpty();
    }

    @Test
    void startsDaemonSetsOnAddedNodesAndRefusesToRemoveANodeThatHoldsPods() {
        Pod daemon = PodBuilder.pod("proxy-a")
                .namespace("kube-system")
                .on("a")
                .owner(new dev.kompact.optimizer.model.Owner("DaemonSet", "proxy"))
                .requests(Cluster.pod("x", null, "x", 300).requests())
                .usage(Cluster.pod("x", null, "x", 0).usage())
                .labels(java.util.Map.of())
                .annotations(java.util.Map.of())
                .nodeSelector(java.util.Map.of())
                .tolerations(List.of(new Toleration(null, Toleration.Operator.Exists, null, null)))
                .build();
        var snapshot = new Cluster()
                .node("a", "z1")
                .pod(daemon)
                .pod(pod("web-1", "a", "web", 100))
                .snapshot();
        ClusterState state = new ClusterState(snapshot);

        state.addNode("new-1", snapshot.offerings().get(0));

        assertThat(state.requested("new-1").get("cpu")).isEqualTo(300);
        assertThatThrownBy(() -> state.removeNode("a")).hasMessage("node a still holds default/web-1");
        state.place(snapshot.pods().get(1), "new-1");
        state.removeNode("a");
        assertThat(state.nodes()).extracting(n -> n.name()).containsExactly("new-1");
    }
}

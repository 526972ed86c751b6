package dev.kompact.executor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evictions against the test API server, whose eviction subresource checks the UID precondition as a real one; cordons.
 */
class Fabric8ClusterApiTest {

    TestCluster cluster;
    Fabric8ClusterApi api;
    Pod pod;

    @BeforeEach
    void onePod() {
        cluster = new TestCluster(Duration.ofMillis(20));
        api = new Fabric8ClusterApi(cluster.client());
        cluster.node("node-1", "m5.large");
        pod = cluster.replicaPod("shop", "db", "db-0", "node-1");
    }

    @AfterEach
    void stop() {
        api.close();
        cluster.close();
    }

    @Test
    void anEvictionMeantForAPodOfTheSameNameButAnotherUidEvictsNothing() {
        EvictionResult result = api.evict("shop", "db-0", "uid-of-the-db-0-before-it-was-recreated");

        assertThat(result).isEqualTo(EvictionResult.GONE);
        assertThat(cluster.client().pods().inNamespace("shop").withName("db-0").get())
                .isNotNull();
    }

    @Test
    void anEvictionWithThePodsUidEvictsIt() {
        assertThat(api.evict("shop", "db-0", pod.getMetadata().getUid())).isEqualTo(EvictionResult.EVICTED);
    }

    @Test
    void anEvictionAnsweredWithAServerErrorIsThrownAtOnceNotRetried() {
        cluster.evictions().failWith(500);

        assertThatThrownBy(() -> api.evict("shop", "db-0", pod.getMetadata().getUid()))
                .isInstanceOf(KubernetesClientException.class);
        assertThat(cluster.evictions().requests()).isEqualTo(1);
    }

    @Test
    void uncordonUndoesKompactsCordonOnly() {
        cluster.node("node-2", "m5.large");
        api.cordon("node-1");
        // someone else's cordon, as kubectl cordon makes it
        cluster.client().nodes().withName("node-2").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });

        api.uncordon("node-1");
        api.uncordon("node-2");

        assertThat(Nodes.isCordoned(cluster.client().nodes().withName("node-1").get()))
                .isFalse();
        assertThat(Nodes.isCordoned(cluster.client().nodes().withName("node-2").get()))
                .isTrue();
    }
}

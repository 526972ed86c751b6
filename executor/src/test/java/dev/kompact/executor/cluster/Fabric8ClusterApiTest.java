package dev.kompact.executor.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
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

    @Test
    void aPodDeletionMeantForAnotherUidDeletesNothing() {
        assertThat(api.deletePod("shop", "db-0", "uid-of-the-db-0-before-it-was-recreated"))
                .isFalse();
        assertThat(cluster.client().pods().inNamespace("shop").withName("db-0").get())
                .isNotNull();

        assertThat(api.deletePod("shop", "db-0", pod.getMetadata().getUid())).isTrue();
        assertThat(cluster.client().pods().inNamespace("shop").withName("db-0").get())
                .isNull();
        assertThat(api.deletePod("shop", "db-0", pod.getMetadata().getUid())).isFalse();
    }

    @Test
    void aPodCreatedAgainIsTheOneCreatedFirst() {
        Pod copy = new PodBuilder(pod)
                .editMetadata()
                .withName("db-copy")
                .withUid(null)
                .withResourceVersion(null)
                .endMetadata()
                .build();
        Pod first = api.createPod(copy);

        assertThat(api.createPod(copy).getMetadata().getUid())
                .isEqualTo(first.getMetadata().getUid());
    }

    @Test
    void aPodConditionIsSetThroughStatusKeepingTheOthers() {
        api.setPodCondition(
                "shop",
                "db-0",
                new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus("False")
                        .withReason("KompactHandedOff")
                        .build());
        api.setPodCondition(
                "shop",
                "db-0",
                new PodConditionBuilder()
                        .withType("kompact.dev/handoff-complete")
                        .withStatus("True")
                        .build());

        assertThat(cluster.client()
                        .pods()
                        .inNamespace("shop")
                        .withName("db-0")
                        .get()
                        .getStatus()
                        .getConditions())
                .extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactlyInAnyOrder("ContainersReady=True", "Ready=False", "kompact.dev/handoff-complete=True");
    }

    @Test
    void anAdoptedPodGetsTheLabelsAndTheControllerAndAnAnnotation() {
        api.adoptPod(
                "shop",
                "db-0",
                Map.of("app", "db", "pod-template-hash", "7f9"),
                new OwnerReferenceBuilder()
                        .withKind("ReplicaSet")
                        .withName("db-7f9")
                        .withUid("rs-uid")
                        .withController(true)
                        .build());
        api.annotatePod("shop", "db-0", "controller.kubernetes.io/pod-deletion-cost", "-2147483648");

        Pod adopted =
                cluster.client().pods().inNamespace("shop").withName("db-0").get();
        assertThat(adopted.getMetadata().getLabels())
                .containsOnly(Map.entry("app", "db"), Map.entry("pod-template-hash", "7f9"));
        assertThat(Pods.controller(adopted).orElseThrow().getUid()).isEqualTo("rs-uid");
        assertThat(adopted.getMetadata().getAnnotations())
                .containsEntry("controller.kubernetes.io/pod-deletion-cost", "-2147483648");
    }
}

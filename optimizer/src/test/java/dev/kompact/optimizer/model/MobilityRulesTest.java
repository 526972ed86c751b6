package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.testing.NodeBuilder;
import dev.kompact.optimizer.testing.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MobilityRulesTest {

    private final Node plain = node(Map.of());
    private final Node withAgent = node(Map.of(WellKnownLabels.KOMPACT_AGENT, "true"));

    @Test
    void pinsWhatTheEcosystemSaysMustNotMove() {
        assertThat(classify(new Owner("DaemonSet", "proxy"), Map.of(), List.of()))
                .isEqualTo(Mobility.PINNED);
        assertThat(classify(new Owner("Node", "n1"), Map.of(), List.of())).isEqualTo(Mobility.PINNED);
        assertThat(classify(null, Map.of(), List.of())).isEqualTo(Mobility.PINNED);
        for (String annotation :
                List.of(WellKnownLabels.KARPENTER_DO_NOT_DISRUPT, WellKnownLabels.KOMPACT_DO_NOT_DISRUPT)) {
            assertThat(classify(owner(), Map.of(annotation, "true"), List.of())).isEqualTo(Mobility.PINNED);
        }
        assertThat(classify(owner(), Map.of(WellKnownLabels.CA_SAFE_TO_EVICT, "false"), List.of()))
                .isEqualTo(Mobility.PINNED);
        assertThat(classify(owner(), Map.of(WellKnownLabels.DESCHEDULER_PREFER_NO_EVICTION, ""), List.of()))
                .isEqualTo(Mobility.PINNED);
        assertThat(classify(owner(), Map.of(WellKnownLabels.MIRROR_POD, "abc"), List.of()))
                .isEqualTo(Mobility.PINNED);
    }

    @Test
    void pinsLocalStorageUnlessEveryLocalVolumeIsDeclaredSafe() {
        List<Volume> volumes = List.of(
                new Volume("cache", Volume.Kind.EMPTY_DIR),
                new Volume("logs", Volume.Kind.HOST_PATH),
                new Volume("data", Volume.Kind.PERSISTENT_VOLUME_CLAIM));

        assertThat(classify(owner(), Map.of(), volumes)).isEqualTo(Mobility.PINNED);
        assertThat(classify(owner(), Map.of(WellKnownLabels.CA_SAFE_TO_EVICT_LOCAL_VOLUMES, "cache"), volumes))
                .isEqualTo(Mobility.PINNED);
        assertThat(classify(owner(), Map.of(WellKnownLabels.CA_SAFE_TO_EVICT_LOCAL_VOLUMES, "cache, logs"), volumes))
                .isEqualTo(Mobility.RESTART);
    }

    @Test
    void letsSafeToEvictReleaseBarePods() {
        assertThat(classify(null, Map.of(WellKnownLabels.CA_SAFE_TO_EVICT, "true"), List.of()))
                .isEqualTo(Mobility.RESTART);
    }

    @Test
    void migratesLiveOnlyWhenOptedInAndTheNodeHasAnAgent() {
        Pod optedIn = pod(owner(), Map.of(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true"), List.of());

        assertThat(MobilityRules.classify(optedIn, withAgent)).isEqualTo(Mobility.LIVE);
        assertThat(MobilityRules.classify(optedIn, plain)).isEqualTo(Mobility.RESTART);
    }

    @Test
    void keepsNodesTheAutoscalersWereToldToKeep() {
        assertThat(MobilityRules.isKept(node(Map.of()))).isFalse();
        assertThat(MobilityRules.isKept(NodeBuilder.node("n")
                        .zone("z")
                        .priceMicros(1)
                        .annotations(Map.of(WellKnownLabels.CA_SCALE_DOWN_DISABLED, "true"))
                        .build()))
                .isTrue();
    }

    private Mobility classify(Owner owner, Map<String, String> annotations, List<Volume> volumes) {
        return MobilityRules.classify(pod(owner, annotations, volumes), plain);
    }

    private static Owner owner() {
        return new Owner("ReplicaSet", "web-1");
    }

    private static Pod pod(Owner owner, Map<String, String> annotations, List<Volume> volumes) {
        return PodBuilder.pod("p")
                .on("n")
                .owner(owner)
                .annotations(annotations)
                .volumes(volumes)
                .build();
    }

    private static Node node(Map<String, String> labels) {
        return NodeBuilder.node("n").zone("z").priceMicros(1).labels(labels).build();
    }
}

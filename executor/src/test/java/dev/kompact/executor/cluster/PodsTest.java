package dev.kompact.executor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The executor asks the planner's rule: what one plans to move, the other lets go. */
class PodsTest {

    @Test
    void letsABarePodGoWhenItSaysItIsSafeToEvict() {
        assertThat(Pods.mustNotBeDisrupted(bare(Map.of()))).isTrue();
        assertThat(Pods.mustNotBeDisrupted(bare(Map.of(WellKnownLabels.CA_SAFE_TO_EVICT, "true"))))
                .isFalse();
    }

    @Test
    void keepsAPodThatPrefersNotToBeEvictedByTheDescheduler() {
        assertThat(Pods.mustNotBeDisrupted(owned(Map.of()))).isFalse();
        assertThat(Pods.mustNotBeDisrupted(owned(Map.of(WellKnownLabels.DESCHEDULER_PREFER_NO_EVICTION, ""))))
                .isTrue();
    }

    @Test
    void keepsLocalStorageUnlessItIsDeclaredSafe() {
        Pod withCache = new PodBuilder(owned(Map.of()))
                .editSpec()
                .addToVolumes(new VolumeBuilder()
                        .withName("cache")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build())
                .endSpec()
                .build();
        assertThat(Pods.mustNotBeDisrupted(withCache)).isTrue();

        withCache.getMetadata().setAnnotations(Map.of(WellKnownLabels.CA_SAFE_TO_EVICT_LOCAL_VOLUMES, "cache"));
        assertThat(Pods.mustNotBeDisrupted(withCache)).isFalse();
    }

    private static Pod bare(Map<String, String> annotations) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("p")
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build();
    }

    private static Pod owned(Map<String, String> annotations) {
        return new PodBuilder(bare(annotations))
                .editMetadata()
                .addNewOwnerReference()
                .withKind("ReplicaSet")
                .withName("web")
                .withUid("rs-uid")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
    }
}

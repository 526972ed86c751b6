package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.Taint;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Pods that accept the same nodes: one representative pod stands for them all. */
record PodClass(Object selectors, Object tolerations, String volumeZone, Pod representative) {

    /**
     * Pods running where their rules would no longer put them (labels or taints changed after scheduling) may stay
     * there: confining them to the nodes their rules accept would overstate the bound, so they may go anywhere.
     */
    static final PodClass ANYWHERE = new PodClass(null, null, null, null);

    static PodClass of(Pod pod) {
        return new PodClass(
                List.of(pod.nodeSelector(), pod.requiredNodeAffinity()), pod.tolerations(), pod.volumeZone(), pod);
    }

    boolean accepts(BoundSource source) {
        return accepts(source.labels(), source.taints(), source.zone());
    }

    boolean accepts(Map<String, String> labels, List<Taint> taints, String zone) {
        return representative == null
                || representative.acceptsNodeLabels(labels)
                        && representative.toleratesAll(taints)
                        && (volumeZone == null || volumeZone.equals(zone));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PodClass other
                && Objects.equals(selectors, other.selectors)
                && Objects.equals(tolerations, other.tolerations)
                && Objects.equals(volumeZone, other.volumeZone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(selectors, tolerations, volumeZone);
    }
}

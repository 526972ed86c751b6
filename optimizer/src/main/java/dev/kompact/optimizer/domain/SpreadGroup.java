package dev.kompact.optimizer.domain;

import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.NamespacedLabel;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;

/**
 * The pods one topology spread constraint counts: those its selector picks in its namespace. Kubernetes checks
 * spread only when it places a pod, so only domains that receive a pod must keep within {@code maxSkew}; a skew the
 * cluster already has elsewhere may stay.
 */
public final class SpreadGroup {

    private final String id;
    private final String namespace;
    private final LabelSelector selector;
    private final String topologyKey;
    private final boolean hard;
    private final int maxSkew;
    private final int eligibleDomains;

    public SpreadGroup(
            String id,
            String namespace,
            LabelSelector selector,
            String topologyKey,
            boolean hard,
            int maxSkew,
            int eligibleDomains) {
        this.id = id;
        this.namespace = namespace;
        this.selector = selector;
        this.topologyKey = topologyKey;
        this.hard = hard;
        this.maxSkew = maxSkew;
        this.eligibleDomains = eligibleDomains;
    }

    /**
     * Where a pod looks for the groups that may count it: the group's namespace and the first label its selector
     * requires (just the namespace for a selector requiring none).
     */
    public String firstLabel() {
        return selector.matchLabels().entrySet().stream()
                .findFirst()
                .map(e -> NamespacedLabel.key(namespace, e.getKey(), e.getValue()))
                .orElse(namespace);
    }

    /** The look-up keys of every group that might count {@code pod}; see {@link #firstLabel()}. */
    public static List<String> labelsOf(Pod pod) {
        List<String> keys = new ArrayList<>();
        keys.add(pod.namespace());
        pod.labels().forEach((k, v) -> keys.add(NamespacedLabel.key(pod.namespace(), k, v)));
        return keys;
    }

    public boolean counts(Pod pod) {
        return namespace.equals(pod.namespace()) && selector.matches(pod.labels());
    }

    public boolean isZone() {
        return WellKnownLabels.ZONE.equals(topologyKey);
    }

    public boolean isHard() {
        return hard;
    }

    public int getMaxSkew() {
        return maxSkew;
    }

    /**
     * How far the busiest domain that receives a pod exceeds the emptiest by more than maxSkew; a zone the pods may
     * use but do not is a domain with 0 pods. Per node, the emptiest is taken as 0, never laxer than Kubernetes.
     */
    public int excess(int max, int min, int occupiedDomains) {
        int smallest = occupiedDomains < eligibleDomains || !isZone() ? 0 : min;
        return Math.max(0, max - smallest - maxSkew);
    }

    @Override
    public String toString() {
        return id;
    }
}

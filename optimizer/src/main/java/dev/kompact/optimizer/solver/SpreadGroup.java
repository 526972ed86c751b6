package dev.kompact.optimizer.solver;

import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.WellKnownLabels;

/**
 * The pods one topology spread constraint counts: those its selector picks in its namespace. {@code allowedSkew} is
 * the constraint's maxSkew, or the skew the cluster already has when that is larger: Kubernetes checks spread only
 * when it places a pod, so a plan must not make a skew worse but need not mend one it found.
 */
public final class SpreadGroup {

    private final String id;
    private final String namespace;
    private final LabelSelector selector;
    private final String topologyKey;
    private final boolean hard;
    private final int allowedSkew;
    private final int eligibleDomains;

    public SpreadGroup(String id, String namespace, LabelSelector selector, String topologyKey, boolean hard,
            int allowedSkew, int eligibleDomains) {
        this.id = id;
        this.namespace = namespace;
        this.selector = selector;
        this.topologyKey = topologyKey;
        this.hard = hard;
        this.allowedSkew = allowedSkew;
        this.eligibleDomains = eligibleDomains;
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

    public int getAllowedSkew() {
        return allowedSkew;
    }

    /**
     * How far the counts exceed the allowed skew; a zone the pods may use but do not is a domain with 0 pods.
     * Per node, the smallest count is taken as 0, which is never laxer than Kubernetes.
     */
    public int excess(int max, int min, int occupiedDomains) {
        int smallest = occupiedDomains < eligibleDomains || !isZone() ? 0 : min;
        return Math.max(0, max - smallest - allowedSkew);
    }

    @Override
    public String toString() {
        return id;
    }
}

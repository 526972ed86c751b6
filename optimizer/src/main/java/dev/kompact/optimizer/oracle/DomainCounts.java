package dev.kompact.optimizer.oracle;

import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Pod;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How many placed pods one selector picks in each domain of one topology key (per node, or per zone), kept up to
 * date as pods come and go, so that affinity and spread checks cost no more than a map look-up.
 */
final class DomainCounts {

    /** The pods a term or constraint counts: a selector within a namespace scope, per topology key. */
    record Key(
            String namespace,
            Set<String> namespaces,
            boolean allNamespaces,
            LabelSelector selector,
            String topologyKey) {

        boolean counts(Pod pod) {
            boolean inScope = allNamespaces
                    || (namespaces.isEmpty()
                            ? namespace.equals(pod.namespace())
                            : namespaces.contains(pod.namespace()));
            return inScope && selector.matches(pod.labels());
        }
    }

    private final Key key;
    private final Map<String, Integer> byDomain = new HashMap<>();
    private int total;

    DomainCounts(Key key) {
        this.key = key;
    }

    Key key() {
        return key;
    }

    int in(String domain) {
        return domain == null ? 0 : byDomain.getOrDefault(domain, 0);
    }

    int total() {
        return total;
    }

    /** Counts {@code pod} into (delta 1) or out of (delta -1) {@code domain} when the key picks it. */
    void update(Pod pod, String domain, int delta) {
        if (domain != null && key.counts(pod)) {
            byDomain.merge(domain, delta, Integer::sum);
            total += delta;
        }
    }
}

package dev.kompact.optimizer.oracle;

import dev.kompact.optimizer.model.NamespacedLabel;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PodKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ClusterState}'s pod rules count per topology domain, kept up to date as pods are placed and taken
 * off: per selector, how many placed pods it picks in each domain; per domain, the placed pods whose required
 * anti-affinity reaches it; per namespaced label, the placed pods carrying it, from which a selector's counts are
 * built on first use.
 */
final class DomainIndex {

    private final Map<String, Node> nodes;
    private final Map<PodKey, String> nodeOfPod;
    private final Map<PodKey, Pod> pods;
    private final Map<DomainCounts.Key, DomainCounts> counts = new HashMap<>();
    private final Map<String, List<DomainCounts>> countsByNamespace = new HashMap<>();
    private final List<DomainCounts> crossNamespaceCounts = new ArrayList<>();
    private final Map<String, Map<PodKey, Pod>> antiAffinityOwnersByDomain = new HashMap<>();
    private final Map<String, Map<PodKey, Pod>> placedByLabel = new HashMap<>();

    /** The state's own maps, read as they change: the index keeps no copy of where pods are. */
    DomainIndex(Map<String, Node> nodes, Map<PodKey, String> nodeOfPod, Map<PodKey, Pod> pods) {
        this.nodes = nodes;
        this.nodeOfPod = nodeOfPod;
        this.pods = pods;
    }

    /** The placed pods whose required anti-affinity over {@code topologyKey} reaches {@code domain}. */
    Collection<Pod> antiAffinityOwners(String topologyKey, String domain) {
        return antiAffinityOwnersByDomain
                .getOrDefault(topologyKey + "=" + domain, Map.of())
                .values();
    }

    /** Called once {@code pod} is on {@code nodeName}. */
    void placed(Pod pod, String nodeName) {
        pod.labels()
                .forEach((label, value) -> placedByLabel
                        .computeIfAbsent(NamespacedLabel.key(pod.namespace(), label, value), k -> new HashMap<>())
                        .put(pod.key(), pod));
        count(pod, nodeName, 1);
    }

    /** Called once {@code placed} is off {@code nodeName}. */
    void taken(Pod placed, String nodeName) {
        placed.labels().forEach((label, value) -> {
            Map<PodKey, Pod> withLabel = placedByLabel.get(NamespacedLabel.key(placed.namespace(), label, value));
            if (withLabel != null) {
                withLabel.remove(placed.key());
            }
        });
        count(placed, nodeName, -1);
    }

    /** The counts for {@code key}, built from the placed pods on first use and kept up to date after. */
    DomainCounts counts(DomainCounts.Key key) {
        DomainCounts existing = counts.get(key);
        if (existing != null) {
            return existing;
        }
        DomainCounts created = new DomainCounts(key);
        for (Pod pod : candidates(key)) {
            created.update(pod, nodes.get(nodeOfPod.get(pod.key())).labels().get(key.topologyKey()), 1);
        }
        counts.put(key, created);
        if (key.allNamespaces() || !key.namespaces().isEmpty()) {
            crossNamespaceCounts.add(created);
        } else {
            countsByNamespace
                    .computeIfAbsent(key.namespace(), n -> new ArrayList<>())
                    .add(created);
        }
        return created;
    }

    /**
     * The placed pods {@code key} could pick: those carrying its first required label in its namespace, when it has
     * one — a workload's selector — rather than every pod in the cluster.
     */
    private Collection<Pod> candidates(DomainCounts.Key key) {
        Map<String, String> required = key.selector().matchLabels();
        if (key.allNamespaces() || required.isEmpty()) {
            return nodeOfPod.keySet().stream().map(pods::get).toList();
        }
        Map.Entry<String, String> first = required.entrySet().iterator().next();
        Set<String> namespaces = key.namespaces().isEmpty() ? Set.of(key.namespace()) : key.namespaces();
        List<Pod> found = new ArrayList<>();
        for (String namespace : namespaces) {
            found.addAll(placedByLabel
                    .getOrDefault(NamespacedLabel.key(namespace, first.getKey(), first.getValue()), Map.of())
                    .values());
        }
        return found;
    }

    private void count(Pod pod, String nodeName, int delta) {
        Map<String, String> labels = nodes.get(nodeName).labels();
        for (DomainCounts c : countsByNamespace.getOrDefault(pod.namespace(), List.of())) {
            c.update(pod, labels.get(c.key().topologyKey()), delta);
        }
        for (DomainCounts c : crossNamespaceCounts) {
            c.update(pod, labels.get(c.key().topologyKey()), delta);
        }
        for (PodAffinityTerm term : pod.affinity().requiredPodAntiAffinity()) {
            String domain = term.topologyKey() + "=" + labels.get(term.topologyKey());
            if (delta > 0) {
                antiAffinityOwnersByDomain
                        .computeIfAbsent(domain, d -> new LinkedHashMap<>())
                        .put(pod.key(), pod);
            } else {
                Map<PodKey, Pod> owners = antiAffinityOwnersByDomain.get(domain);
                if (owners != null) {
                    owners.remove(pod.key());
                }
            }
        }
    }
}

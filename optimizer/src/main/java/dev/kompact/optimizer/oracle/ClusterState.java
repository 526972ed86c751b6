package dev.kompact.optimizer.oracle;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster that pods can be placed on and taken off, answering the one question the scheduler asks: may this pod
 * run on that node now? It applies the scheduler's filters to an arriving pod — unschedulable nodes, taints, node
 * selector and required node affinity, resources (with every pod taking a pod slot), volume zone, required pod
 * affinity and anti-affinity (both the pod's own terms and those of the pods already there) and hard topology
 * spread — and nothing else. Written apart from the solver, so that the two do not share a mistake; the plan
 * verifier, the wave planner and the baseline policies judge with it. The {@link DomainIndex} keeps what the pod
 * rules count per topology domain up to date as pods move, so a check does not scan the cluster.
 */
public final class ClusterState {

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Map<PodKey, Pod>> podsByNode = new HashMap<>();
    private final Map<String, ResourceList> load = new HashMap<>();
    private final Map<PodKey, String> nodeOfPod = new HashMap<>();
    private final Map<PodKey, Pod> pods = new LinkedHashMap<>();
    private final Map<String, Pod> daemonSetTemplates = new LinkedHashMap<>();
    private final Map<List<Object>, Set<String>> eligibleDomains = new HashMap<>();
    private final DomainIndex index = new DomainIndex(nodes, nodeOfPod, pods);

    public ClusterState(ClusterSnapshot snapshot) {
        snapshot.nodes().forEach(n -> nodes.put(n.name(), n));
        for (Pod pod : snapshot.pods()) {
            pods.put(pod.key(), pod);
            if (pod.owner() != null && pod.owner().isDaemonSet()) {
                daemonSetTemplates.putIfAbsent(
                        pod.namespace() + "/" + pod.owner().name(), pod);
            }
            if (pod.nodeName() != null && nodes.containsKey(pod.nodeName())) {
                put(pod, pod.nodeName());
            }
        }
    }

    public Collection<Node> nodes() {
        return nodes.values();
    }

    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public Collection<Pod> pods() {
        return pods.values();
    }

    /** The node a pod is on, or null when it is pending. */
    public String nodeOf(Pod pod) {
        return nodeOfPod.get(pod.key());
    }

    public List<Pod> podsOn(String nodeName) {
        return new ArrayList<>(podsByNode.getOrDefault(nodeName, Map.of()).values());
    }

    /** What the pods on a node request, pod slots included. */
    public ResourceList requested(String nodeName) {
        return load.getOrDefault(nodeName, ResourceList.EMPTY);
    }

    public long costPerHourMicros() {
        return nodes.values().stream().mapToLong(Node::pricePerHourMicros).sum();
    }

    /** Adds a node bought from {@code offering}; the DaemonSets that would run on it start there at once. */
    public Node addNode(String name, InstanceOffering offering) {
        if (nodes.containsKey(name)) {
            throw new IllegalArgumentException("a node named " + name + " already exists");
        }
        Map<String, String> labels = new TreeMap<>(offering.labels());
        labels.put(WellKnownLabels.HOSTNAME, name);
        Node node = new Node(
                name,
                offering.instanceType(),
                offering.zone(),
                offering.capacityType(),
                offering.pricePerHourMicros(),
                labels,
                Map.of(),
                List.of(),
                offering.allocatable(),
                false);
        nodes.put(name, node);
        eligibleDomains.clear();
        for (Pod template : daemonSetTemplates.values()) {
            if (template.acceptsNodeLabels(labels) && template.toleratesAll(node.taints())) {
                Pod daemon = new Pod(
                        template.namespace(),
                        template.owner().name() + "-" + name,
                        name,
                        template.owner(),
                        template.requests(),
                        ResourceList.EMPTY,
                        template.priority(),
                        template.labels(),
                        template.annotations(),
                        template.nodeSelector(),
                        template.requiredNodeAffinity(),
                        template.tolerations());
                pods.put(daemon.key(), daemon);
                put(daemon, name);
            }
        }
        return node;
    }

    /** Removes a node; its DaemonSet and mirror pods go with it. Refuses while any other pod is on it. */
    public void removeNode(String name) {
        List<Pod> remaining =
                podsOn(name).stream().filter(p -> !p.isNodeBound()).toList();
        if (!remaining.isEmpty()) {
            throw new IllegalStateException(
                    "node " + name + " still holds " + remaining.get(0).key());
        }
        for (Pod pod : podsOn(name)) {
            take(pod);
            pods.remove(pod.key());
        }
        nodes.remove(name);
        eligibleDomains.clear();
        podsByNode.remove(name);
        load.remove(name);
    }

    /** Puts a pod on a node, taking it off wherever it was. No rule is checked: ask {@link #whyNot} first. */
    public void place(Pod pod, String nodeName) {
        if (!nodes.containsKey(nodeName)) {
            throw new IllegalArgumentException("no node named " + nodeName);
        }
        take(pod);
        pods.put(pod.key(), pod);
        put(pod, nodeName);
    }

    /** Takes a pod off its node, leaving it pending. */
    public void unplace(Pod pod) {
        take(pod);
    }

    /**
     * Why {@code pod} may not run on {@code nodeName}, judged as if it were not yet placed anywhere; empty when
     * the scheduler would admit it.
     */
    public Optional<String> whyNot(Pod pod, String nodeName) {
        Node node = nodes.get(nodeName);
        if (node == null) {
            return Optional.of("no node named " + nodeName);
        }
        if (node.unschedulable()) {
            return Optional.of("node " + nodeName + " is unschedulable");
        }
        if (!pod.toleratesAll(node.taints())) {
            return Optional.of("a taint of node " + nodeName + " is not tolerated");
        }
        if (!pod.acceptsNodeLabels(node.labels())) {
            return Optional.of("node selector or required node affinity rejects node " + nodeName);
        }
        if (pod.volumeZone() != null && !pod.volumeZone().equals(node.zone())) {
            return Optional.of("its volume is in " + pod.volumeZone() + ", node " + nodeName + " in " + node.zone());
        }
        Optional<String> resources = resourceShortfall(pod, node);
        if (resources.isPresent()) {
            return resources;
        }
        for (PodAffinityTerm term : pod.affinity().requiredPodAntiAffinity()) {
            if (othersIn(pod, termKey(pod, term), node) > 0) {
                return Optional.of(
                        "pod anti-affinity (" + term.topologyKey() + ") with " + firstPicked(pod, term, node));
            }
        }
        for (String topologyKey : List.of(WellKnownLabels.HOSTNAME, WellKnownLabels.ZONE)) {
            String domain = node.labels().get(topologyKey);
            for (Pod other : index.antiAffinityOwners(topologyKey, domain)) {
                for (PodAffinityTerm term : other.affinity().requiredPodAntiAffinity()) {
                    if (!other.key().equals(pod.key())
                            && term.topologyKey().equals(topologyKey)
                            && term.selects(other, pod)) {
                        return Optional.of("pod anti-affinity of " + other.key() + " (" + topologyKey + ")");
                    }
                }
            }
        }
        for (PodAffinityTerm term : pod.affinity().requiredPodAffinity()) {
            DomainCounts.Key key = termKey(pod, term);
            boolean firstOfItsKind = term.selects(pod, pod) && index.counts(key).total() - self(pod, key) == 0;
            if (othersIn(pod, key, node) == 0 && !firstOfItsKind) {
                return Optional.of("pod affinity (" + term.topologyKey() + ") finds no matching pod near " + nodeName);
            }
        }
        for (TopologySpreadConstraint spread : pod.affinity().topologySpread()) {
            if (spread.hard()) {
                Optional<String> skew = skewViolation(pod, node, spread);
                if (skew.isPresent()) {
                    return skew;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> resourceShortfall(Pod pod, Node node) {
        ResourceList used = requested(node.name());
        if (node.name().equals(nodeOf(pod))) {
            used = used.minus(pod.requests().with(ResourceNames.PODS, 1));
        }
        ResourceList demand = pod.requests().with(ResourceNames.PODS, 1);
        for (Map.Entry<String, Long> entry : demand.amounts().entrySet()) {
            long free = node.allocatable().get(entry.getKey()) - used.get(entry.getKey());
            if (entry.getValue() > free) {
                return Optional.of("node " + node.name() + " has " + free + " " + entry.getKey()
                        + " free, pod requests " + entry.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The scheduler's spread rule for an arriving pod: its domain's count of matching pods, itself included, less
     * the smallest count over the domains of the nodes its node selector and affinity accept, at most maxSkew.
     */
    private Optional<String> skewViolation(Pod pod, Node target, TopologySpreadConstraint spread) {
        DomainCounts.Key key =
                new DomainCounts.Key(pod.namespace(), Set.of(), false, spread.selector(), spread.topologyKey());
        DomainCounts domainCounts = index.counts(key);
        String selfDomain = domainOf(pod, spread.topologyKey());
        int selfCounted = key.counts(pod) ? 1 : 0;
        int min = Integer.MAX_VALUE;
        for (String domain : eligibleDomains(pod, spread.topologyKey())) {
            int count = domainCounts.in(domain) - (domain.equals(selfDomain) ? selfCounted : 0);
            min = Math.min(min, count);
        }
        String domain = target.labels().get(spread.topologyKey());
        int here = domainCounts.in(domain) - (domain != null && domain.equals(selfDomain) ? selfCounted : 0);
        int skew = here + 1 - (min == Integer.MAX_VALUE ? 0 : min);
        if (skew > spread.maxSkew()) {
            return Optional.of("topology spread (" + spread.topologyKey() + ") skew would be " + skew + ", max "
                    + spread.maxSkew());
        }
        return Optional.empty();
    }

    private Set<String> eligibleDomains(Pod pod, String topologyKey) {
        return eligibleDomains.computeIfAbsent(
                List.of(pod.nodeSelector(), pod.requiredNodeAffinity(), topologyKey), k -> {
                    Set<String> domains = new HashSet<>();
                    for (Node node : nodes.values()) {
                        String domain = node.labels().get(topologyKey);
                        if (domain != null && pod.acceptsNodeLabels(node.labels())) {
                            domains.add(domain);
                        }
                    }
                    return domains;
                });
    }

    /** Pods {@code key} picks in the target's domain, the pod itself left out. */
    private int othersIn(Pod pod, DomainCounts.Key key, Node target) {
        String domain = target.labels().get(key.topologyKey());
        int count = index.counts(key).in(domain);
        return domain != null && domain.equals(domainOf(pod, key.topologyKey())) ? count - self(pod, key) : count;
    }

    private int self(Pod pod, DomainCounts.Key key) {
        return nodeOf(pod) != null && key.counts(pod) ? 1 : 0;
    }

    private String firstPicked(Pod pod, PodAffinityTerm term, Node target) {
        String domain = target.labels().get(term.topologyKey());
        for (Node node : nodes.values()) {
            if (domain.equals(node.labels().get(term.topologyKey()))) {
                for (Pod other : podsByNode.getOrDefault(node.name(), Map.of()).values()) {
                    if (!other.key().equals(pod.key()) && term.selects(pod, other)) {
                        return other.key().toString();
                    }
                }
            }
        }
        return "a pod it picks";
    }

    private static DomainCounts.Key termKey(Pod owner, PodAffinityTerm term) {
        return new DomainCounts.Key(
                owner.namespace(), term.namespaces(), term.allNamespaces(), term.selector(), term.topologyKey());
    }

    private String domainOf(Pod pod, String topologyKey) {
        String nodeName = nodeOf(pod);
        return nodeName == null ? null : nodes.get(nodeName).labels().get(topologyKey);
    }

    private void put(Pod pod, String nodeName) {
        nodeOfPod.put(pod.key(), nodeName);
        podsByNode.computeIfAbsent(nodeName, n -> new LinkedHashMap<>()).put(pod.key(), pod);
        load.merge(nodeName, pod.requests().with(ResourceNames.PODS, 1), ResourceList::plus);
        index.placed(pod, nodeName);
    }

    /** Takes off the pod placed under this key, which may be an older record of it than {@code pod}. */
    private void take(Pod pod) {
        String from = nodeOfPod.remove(pod.key());
        if (from != null) {
            Pod placed = podsByNode.get(from).remove(pod.key());
            load.merge(from, placed.requests().with(ResourceNames.PODS, 1), ResourceList::minus);
            index.taken(placed, from);
        }
    }
}

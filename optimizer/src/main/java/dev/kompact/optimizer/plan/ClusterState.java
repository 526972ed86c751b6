package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cluster that pods can be placed on and taken off, answering the one question the scheduler asks: may this pod
 * run on that node now? It applies the scheduler's filters to an arriving pod — unschedulable nodes, taints, node
 * selector and required node affinity, resources (with every pod taking a pod slot), volume zone, required pod
 * affinity and anti-affinity (both the pod's own terms and those of the pods already there) and hard topology
 * spread — and nothing else. Written apart from the solver, so that the two do not share a mistake; the plan
 * verifier and the baseline policies judge with it.
 */
public final class ClusterState {

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, Pod>> podsByNode = new HashMap<>();
    private final Map<String, Pod> placedWithAntiAffinity = new LinkedHashMap<>();
    private final Map<String, ResourceList> load = new HashMap<>();
    private final Map<String, String> nodeOfPod = new HashMap<>();
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Map<String, Pod> daemonSetTemplates = new LinkedHashMap<>();

    public ClusterState(ClusterSnapshot snapshot) {
        snapshot.nodes().forEach(n -> nodes.put(n.name(), n));
        for (Pod pod : snapshot.pods()) {
            pods.put(pod.key(), pod);
            if (pod.owner() != null && pod.owner().isDaemonSet()) {
                daemonSetTemplates.putIfAbsent(pod.namespace() + "/" + pod.owner().name(), pod);
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
        Node node = new Node(name, offering.instanceType(), offering.zone(), offering.capacityType(),
                offering.pricePerHourMicros(), labels, Map.of(), List.of(), offering.allocatable(), false);
        nodes.put(name, node);
        for (Pod template : daemonSetTemplates.values()) {
            if (template.acceptsNodeLabels(labels) && template.toleratesAll(node.taints())) {
                Pod daemon = new Pod(template.namespace(), template.owner().name() + "-" + name, name,
                        template.owner(), template.requests(), ResourceList.EMPTY, template.priority(),
                        template.labels(), template.annotations(), template.nodeSelector(),
                        template.requiredNodeAffinity(), template.tolerations());
                pods.put(daemon.key(), daemon);
                put(daemon, name);
            }
        }
        return node;
    }

    /** Removes a node; its DaemonSet and mirror pods go with it. Refuses while any other pod is on it. */
    public void removeNode(String name) {
        List<Pod> remaining = podsOn(name).stream().filter(p -> !p.isNodeBound()).toList();
        if (!remaining.isEmpty()) {
            throw new IllegalStateException("node " + name + " still holds " + remaining.get(0).key());
        }
        for (Pod pod : podsOn(name)) {
            take(pod);
            pods.remove(pod.key());
        }
        nodes.remove(name);
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
            Optional<Pod> clash = podsInDomain(node, term.topologyKey()).stream()
                    .filter(other -> !other.key().equals(pod.key()) && term.selects(pod, other)).findFirst();
            if (clash.isPresent()) {
                return Optional.of("pod anti-affinity (" + term.topologyKey() + ") with " + clash.get().key());
            }
        }
        for (Pod other : placedWithAntiAffinity.values()) {
            for (PodAffinityTerm term : other.affinity().requiredPodAntiAffinity()) {
                if (!other.key().equals(pod.key()) && term.selects(other, pod)
                        && sameDomain(node, nodes.get(nodeOf(other)), term.topologyKey())) {
                    return Optional.of("pod anti-affinity of " + other.key() + " (" + term.topologyKey() + ")");
                }
            }
        }
        for (PodAffinityTerm term : pod.affinity().requiredPodAffinity()) {
            boolean satisfied = podsInDomain(node, term.topologyKey()).stream()
                    .anyMatch(other -> !other.key().equals(pod.key()) && term.selects(pod, other));
            if (!satisfied && !isFirstOfItsKind(pod, term)) {
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
                return Optional.of("node " + node.name() + " has " + free + " " + entry.getKey() + " free, pod requests "
                        + entry.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The scheduler's spread rule for an arriving pod: its domain's count of matching pods, itself included, less
     * the smallest count over the domains of the nodes its node selector and affinity accept, at most maxSkew.
     */
    private Optional<String> skewViolation(Pod pod, Node target, TopologySpreadConstraint spread) {
        Map<String, Integer> counts = new HashMap<>();
        for (Node node : nodes.values()) {
            if (pod.acceptsNodeLabels(node.labels()) && node.labels().containsKey(spread.topologyKey())) {
                counts.putIfAbsent(node.labels().get(spread.topologyKey()), 0);
            }
        }
        for (Map.Entry<String, Map<String, Pod>> entry : podsByNode.entrySet()) {
            String domain = nodes.get(entry.getKey()).labels().get(spread.topologyKey());
            if (domain == null || !counts.containsKey(domain)) {
                continue;
            }
            for (Pod other : entry.getValue().values()) {
                if (!other.key().equals(pod.key()) && other.namespace().equals(pod.namespace())
                        && spread.selector().matches(other.labels())) {
                    counts.merge(domain, 1, Integer::sum);
                }
            }
        }
        String domain = target.labels().get(spread.topologyKey());
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int skew = counts.getOrDefault(domain, 0) + 1 - min;
        if (skew > spread.maxSkew()) {
            return Optional.of("topology spread (" + spread.topologyKey() + ") skew would be " + skew + ", max "
                    + spread.maxSkew());
        }
        return Optional.empty();
    }

    /** Kubernetes lets the first pod of a group that wants to be near its own kind start anywhere. */
    private boolean isFirstOfItsKind(Pod pod, PodAffinityTerm term) {
        return term.selects(pod, pod) && nodeOfPod.keySet().stream()
                .noneMatch(key -> !key.equals(pod.key()) && term.selects(pod, pods.get(key)));
    }

    private List<Pod> podsInDomain(Node node, String topologyKey) {
        List<Pod> found = new ArrayList<>();
        for (Node other : nodes.values()) {
            if (sameDomain(node, other, topologyKey)) {
                found.addAll(podsByNode.getOrDefault(other.name(), Map.of()).values());
            }
        }
        return found;
    }

    private static boolean sameDomain(Node a, Node b, String topologyKey) {
        String value = a.labels().get(topologyKey);
        return value != null && value.equals(b.labels().get(topologyKey));
    }

    private void put(Pod pod, String nodeName) {
        nodeOfPod.put(pod.key(), nodeName);
        podsByNode.computeIfAbsent(nodeName, n -> new LinkedHashMap<>()).put(pod.key(), pod);
        load.merge(nodeName, pod.requests().with(ResourceNames.PODS, 1), ResourceList::plus);
        if (!pod.affinity().requiredPodAntiAffinity().isEmpty()) {
            placedWithAntiAffinity.put(pod.key(), pod);
        }
    }

    /** Takes off the pod placed under this key, which may be an older record of it than {@code pod}. */
    private void take(Pod pod) {
        String from = nodeOfPod.remove(pod.key());
        if (from != null) {
            Pod placed = podsByNode.get(from).remove(pod.key());
            load.merge(from, placed.requests().with(ResourceNames.PODS, 1), ResourceList::minus);
            placedWithAntiAffinity.remove(pod.key());
        }
    }
}

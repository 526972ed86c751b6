package dev.kompact.optimizer.greedy;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link ClusterState} that greedy consolidations try changes on and take them back, as the autoscalers simulate a
 * scheduling run before they act. Every placement and every added node is journaled until {@link #commit()};
 * {@link #rollbackTo(int)} undoes them newest first. Removing a node cannot be undone, so it is allowed only on a
 * committed state. Every feasibility decision is {@link ClusterState#whyNot}'s.
 */
public final class Simulation {

    private final ClusterSnapshot snapshot;
    private final ClusterState state;
    private final List<Runnable> journal = new ArrayList<>();
    private final Map<String, Pod> daemonSetTemplates = new LinkedHashMap<>();
    private final Map<InstanceOffering, ResourceList> overheadByOffering = new IdentityHashMap<>();
    private final String namePrefix;
    private int opened;

    public Simulation(ClusterSnapshot snapshot, String namePrefix) {
        this.snapshot = snapshot;
        this.state = new ClusterState(snapshot);
        this.namePrefix = namePrefix;
        snapshot.pods().stream()
                .filter(p -> p.owner() != null && p.owner().isDaemonSet())
                .forEach(p -> daemonSetTemplates.putIfAbsent(
                        p.namespace() + "/" + p.owner().name(), p));
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    public ClusterState state() {
        return state;
    }

    /** The pods that go where the scheduler sends them, not with their node: all but DaemonSet and mirror pods. */
    public List<Pod> workloadOn(String nodeName) {
        return state.podsOn(nodeName).stream().filter(p -> !p.isNodeBound()).toList();
    }

    public int mark() {
        return journal.size();
    }

    public void rollbackTo(int mark) {
        for (int i = journal.size() - 1; i >= mark; i--) {
            journal.remove(i).run();
        }
    }

    public void commit() {
        journal.clear();
    }

    public void move(Pod pod, String nodeName) {
        String from = state.nodeOf(pod);
        state.place(pod, nodeName);
        journal.add(() -> restore(pod, from));
    }

    public void unplace(Pod pod) {
        String from = state.nodeOf(pod);
        state.unplace(pod);
        journal.add(() -> restore(pod, from));
    }

    /** The first of {@code nodeNames} the scheduler would admit {@code pod} to, skipping {@code excluded}. */
    public Optional<String> firstAdmitting(Pod pod, Collection<String> nodeNames, Set<String> excluded) {
        for (String name : nodeNames) {
            if (!excluded.contains(name)
                    && mayFit(pod, name)
                    && state.whyNot(pod, name).isEmpty()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the node's free resources hold the pod, checked without allocating before the scheduler is asked: most
     * nodes a scan tries are full, and {@link ClusterState#whyNot} builds a message for each refusal.
     */
    private boolean mayFit(Pod pod, String nodeName) {
        if (nodeName.equals(state.nodeOf(pod))) {
            return true;
        }
        Node node = state.node(nodeName).orElse(null);
        if (node == null) {
            return true;
        }
        ResourceList used = state.requested(nodeName);
        if (1 > node.allocatable().get(ResourceNames.PODS) - used.get(ResourceNames.PODS)) {
            return false;
        }
        for (Map.Entry<String, Long> request : pod.requests().amounts().entrySet()) {
            if (!request.getKey().equals(ResourceNames.PODS)
                    && request.getValue() > node.allocatable().get(request.getKey()) - used.get(request.getKey())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Buys a node of {@code offering} and places {@code pods} on it in order; when any is refused, takes it all
     * back and answers empty.
     */
    public Optional<String> open(InstanceOffering offering, List<Pod> pods) {
        return open(offering, pods, demandOf(pods));
    }

    /** {@link #open(InstanceOffering, List)} with the pods' {@link #demandOf demand} summed once for many offerings. */
    public Optional<String> open(InstanceOffering offering, List<Pod> pods, Map<String, Long> demand) {
        if (!mayHost(offering, pods, demand)) {
            return Optional.empty();
        }
        int mark = mark();
        String name = namePrefix + "-" + (++opened);
        state.addNode(name, offering);
        journal.add(() -> state.removeNode(name));
        for (Pod pod : pods) {
            if (state.whyNot(pod, name).isPresent()) {
                rollbackTo(mark);
                return Optional.empty();
            }
            move(pod, name);
        }
        return Optional.of(name);
    }

    /** What {@code pods} request together, a pod slot each included. */
    public Map<String, Long> demandOf(List<Pod> pods) {
        // summed in one mutable map: a ResourceList per pod made this the baselines' hottest loop on long traces
        Map<String, Long> demand = new HashMap<>();
        for (Pod pod : pods) {
            pod.requests().amounts().forEach((name, amount) -> {
                if (!name.equals(ResourceNames.PODS)) {
                    demand.merge(name, amount, Math::addExact);
                }
            });
        }
        demand.put(ResourceNames.PODS, (long) pods.size());
        return Map.copyOf(demand);
    }

    public void removeNode(String nodeName) {
        if (!journal.isEmpty()) {
            throw new IllegalStateException("commit or roll back before removing node " + nodeName);
        }
        state.removeNode(nodeName);
    }

    /**
     * A cheap necessary condition before the scheduler is asked pod by pod: the pods' requests, with the node's
     * DaemonSets, are within its allocatable, and its labels suit every pod.
     */
    private boolean mayHost(InstanceOffering offering, List<Pod> pods, Map<String, Long> demand) {
        // keyed by identity: the snapshot's offerings are the only ones tried, and a record's hash reads every label
        ResourceList overhead = overheadByOffering.computeIfAbsent(offering, this::daemonSetOverhead);
        for (String resource : overhead.amounts().keySet()) {
            if (!demand.containsKey(resource)
                    && overhead.get(resource) > offering.allocatable().get(resource)) {
                return false;
            }
        }
        for (Map.Entry<String, Long> entry : demand.entrySet()) {
            long needed = Math.addExact(entry.getValue(), overhead.get(entry.getKey()));
            if (needed > offering.allocatable().get(entry.getKey())) {
                return false;
            }
        }
        for (Pod pod : pods) {
            if (!pod.acceptsNodeLabels(offering.labels())) {
                return false;
            }
        }
        return true;
    }

    private ResourceList daemonSetOverhead(InstanceOffering offering) {
        ResourceList total = ResourceList.EMPTY;
        for (Pod template : daemonSetTemplates.values()) {
            if (template.acceptsNodeLabels(offering.labels())) {
                total = total.plus(template.requests().with(ResourceNames.PODS, 1));
            }
        }
        return total;
    }

    private void restore(Pod pod, String nodeName) {
        if (nodeName == null) {
            state.unplace(pod);
        } else {
            state.place(pod, nodeName);
        }
    }

    /** The cluster as the committed changes left it. */
    public ClusterState committed() {
        if (!journal.isEmpty()) {
            throw new IllegalStateException("the " + namePrefix + " run ended with uncommitted changes");
        }
        return state;
    }
}

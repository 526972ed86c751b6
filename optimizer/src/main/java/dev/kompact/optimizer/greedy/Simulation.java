package dev.kompact.optimizer.greedy;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
    private final Map<InstanceOffering, ResourceList> overheadByOffering = new HashMap<>();
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
            if (!excluded.contains(name) && state.whyNot(pod, name).isEmpty()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /**
     * Buys a node of {@code offering} and places {@code pods} on it in order; when any is refused, takes it all
     * back and answers empty.
     */
    public Optional<String> open(InstanceOffering offering, List<Pod> pods) {
        if (!mayHost(offering, pods)) {
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

    public void removeNode(String nodeName) {
        if (!journal.isEmpty()) {
            throw new IllegalStateException("commit or roll back before removing node " + nodeName);
        }
        state.removeNode(nodeName);
    }

    /**
     * A cheap necessary condition before the scheduler is asked pod by pod: the node's labels suit every pod and
     * their requests, with the node's DaemonSets, are within its allocatable.
     */
    private boolean mayHost(InstanceOffering offering, List<Pod> pods) {
        // summed in one mutable map: a ResourceList per pod made this the baselines' hottest loop on long traces
        Map<String, Long> demand = new HashMap<>(overheadByOffering
                .computeIfAbsent(offering, this::daemonSetOverhead)
                .amounts());
        for (Pod pod : pods) {
            if (!pod.acceptsNodeLabels(offering.labels())) {
                return false;
            }
            pod.requests().amounts().forEach((name, amount) -> {
                if (!name.equals(ResourceNames.PODS)) {
                    demand.merge(name, amount, Math::addExact);
                }
            });
            demand.merge(ResourceNames.PODS, 1L, Math::addExact);
        }
        for (Map.Entry<String, Long> entry : demand.entrySet()) {
            if (entry.getValue() > offering.allocatable().get(entry.getKey())) {
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

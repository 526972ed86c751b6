package dev.kompact.sim.replay;

import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulation's kube-scheduler: binds pending pods in creation order, each to the best-scored Ready, untainted
 * node that {@link ClusterState#whyNot} admits it to, and hands the pods left that no node on its way is meant for
 * to the provisioner. A pod found unschedulable is looked at again only once room has changed.
 */
final class Scheduler {

    private final Simulator simulator;
    private final ClusterState state;
    private final Map<String, SimNode> nodes;
    private final SimSettings settings;
    private final Provisioner provisioner;
    private final EventQueue events;
    private final Map<String, SimPod> pending = new LinkedHashMap<>();
    private final Map<String, String> nominated = new HashMap<>();
    private long capacityVersion;

    Scheduler(
            Simulator simulator,
            ClusterState state,
            Map<String, SimNode> nodes,
            SimSettings settings,
            Provisioner provisioner,
            EventQueue events) {
        this.simulator = simulator;
        this.state = state;
        this.nodes = nodes;
        this.settings = settings;
        this.provisioner = provisioner;
        this.events = events;
    }

    void pend(SimPod pod) {
        pending.put(pod.name(), pod);
    }

    /** The pod is gone: it waits for nothing any more. */
    void forget(String podName) {
        pending.remove(podName);
        nominated.remove(podName);
    }

    int pendingCount() {
        return pending.size();
    }

    void nominate(SimPod pod, SimNode node) {
        nominated.put(pod.name(), node.name());
    }

    /** The node is Ready or gone: the pods meant for it are the scheduler's or the provisioner's again. */
    void nominationsEnd(String nodeName) {
        nominated.values().removeIf(nodeName::equals);
    }

    /** Room was freed or added: pods the scheduler gave up on are worth another look. */
    void roomChanged() {
        capacityVersion++;
    }

    void settle() {
        if (pending.isEmpty()) {
            return;
        }
        List<SimPod> unschedulable = new ArrayList<>();
        for (SimPod pod : List.copyOf(pending.values())) {
            if (pod.checkedAtCapacity() == capacityVersion) {
                if (!nominated.containsKey(pod.name())) {
                    unschedulable.add(pod);
                }
                continue;
            }
            Optional<String> best = bestNode(pod);
            if (best.isPresent()) {
                bind(pod, best.get());
            } else {
                pod.checkedAtCapacity(capacityVersion);
                if (!nominated.containsKey(pod.name())) {
                    unschedulable.add(pod);
                }
            }
        }
        if (!unschedulable.isEmpty()) {
            provisioner.provision(simulator, unschedulable);
        }
    }

    private Optional<String> bestNode(SimPod pod) {
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (SimNode node : nodes.values()) {
            if (!node.schedulable() || state.whyNot(pod.model(), node.name()).isPresent()) {
                continue;
            }
            double score = settings.scoring()
                    .score(state.node(node.name()).orElseThrow(), state.requested(node.name()), pod.model());
            if (score > bestScore) {
                bestScore = score;
                best = node.name();
            }
        }
        return Optional.ofNullable(best);
    }

    private void bind(SimPod pod, String nodeName) {
        state.place(pod.model(), nodeName);
        forget(pod.name());
        long now = simulator.now();
        long readyAt = pod.restarting() ? now + settings.restartDelay().toSeconds() : now;
        pod.bind(nodeName, readyAt);
        if (readyAt > now) {
            // wakes whoever waits for the replacement to be Ready
            events.at(readyAt, () -> {});
        }
    }
}

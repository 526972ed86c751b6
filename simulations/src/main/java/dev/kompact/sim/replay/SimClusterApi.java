package dev.kompact.sim.replay;

import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.EvictionResult;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulated cluster as the executor's Kubernetes port: Ready nodes (an instance still booting has no Node yet)
 * and live pods, each controller in a namespace of its own, as fabric8 objects the executor reads exactly as it reads the API server's. An eviction is
 * accepted at once (the traces have no PodDisruptionBudgets) and the pod's controller replaces it: the same name
 * with a new UID, pending, Ready a restart delay after it is bound. A live move's target pod is kept as the executor
 * wrote it, Running once its source moved live to the target's node ({@link SimMigrator}); deleting the source then
 * ends the handoff, and the simulated pod carries on under its old name.
 */
final class SimClusterApi implements ClusterApi {

    static final String CONTROLLER_UID_PREFIX = "rs-";
    private static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private final Simulator simulator;
    private final Map<String, CachedPod> pods = new HashMap<>();
    private final Map<String, Pod> targets = new HashMap<>();

    private record CachedPod(String uid, String node, boolean ready, Pod pod) {}

    SimClusterApi(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public Optional<Node> node(String name) {
        return simulator.node(name).filter(SimNode::ready).map(SimClusterApi::toNode);
    }

    @Override
    public List<Node> nodes() {
        return simulator.nodes().stream()
                .filter(SimNode::ready)
                .map(SimClusterApi::toNode)
                .toList();
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return simulator
                .pod(name)
                .map(this::toPod)
                .or(() -> Optional.ofNullable(targets.get(name)).map(this::target));
    }

    @Override
    public List<Pod> podsOn(String nodeName) {
        return simulator.podsOn(nodeName).stream().map(this::toPod).toList();
    }

    @Override
    public List<Pod> podsIn(String namespace) {
        return simulator.podsOf(namespace).stream().map(this::toPod).toList();
    }

    @Override
    public List<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
        return List.of();
    }

    @Override
    public void addTaint(String nodeName, Taint taint) {
        simulator.taint(nodeName, taint.getKey());
    }

    @Override
    public void removeTaint(String nodeName, String key) {
        simulator.untaint(nodeName, key);
    }

    /** The simulated scheduler reads a cordon as the taint the node lifecycle controller adds for it. */
    @Override
    public void cordon(String nodeName) {
        simulator.taint(nodeName, UNSCHEDULABLE_TAINT);
    }

    @Override
    public void uncordon(String nodeName) {
        simulator.untaint(nodeName, UNSCHEDULABLE_TAINT);
    }

    @Override
    public EvictionResult evict(String namespace, String name, String uid) {
        // a pod recreated under the same name has a new UID: not the one the plan meant, as the Eviction API says
        Optional<SimPod> pod = simulator
                .pod(name)
                .filter(p -> p.node() != null)
                .filter(p -> p.uid().equals(uid));
        if (pod.isEmpty()) {
            return EvictionResult.GONE;
        }
        simulator.evict(pod.get());
        return EvictionResult.EVICTED;
    }

    @Override
    public Pod createPod(Pod pod) {
        return target(targets.computeIfAbsent(pod.getMetadata().getName(), n -> {
            Pod created = new PodBuilder(pod).build();
            created.getMetadata().setUid("target-" + n);
            return created;
        }));
    }

    /** Labels, annotations and conditions mean nothing to the simulated controllers and scheduler. */
    @Override
    public void annotatePod(String namespace, String name, String key, String value) {}

    @Override
    public void adoptPod(String namespace, String name, Map<String, String> labels, OwnerReference controller) {}

    @Override
    public void setPodCondition(String namespace, String name, PodCondition condition) {}

    @Override
    public boolean deletePod(String namespace, String name, String uid) {
        Pod target = targets.get(name);
        if (target != null) {
            return uid.equals(target.getMetadata().getUid()) && targets.remove(name) != null;
        }
        Optional<SimPod> pod = simulator.pod(name).filter(p -> p.uid().equals(uid));
        if (pod.isEmpty()) {
            return false;
        }
        boolean handedOff = targets.values().removeIf(t -> uid.equals(handoffOf(t)));
        if (!handedOff) {
            simulator.evict(pod.get());
        }
        return true;
    }

    private Pod target(Pod stored) {
        boolean moved = simulator.pods().stream()
                .anyMatch(p -> p.uid().equals(handoffOf(stored))
                        && stored.getSpec().getNodeName().equals(p.node()));
        return new PodBuilder(stored)
                .withNewStatus()
                .withPhase(moved ? "Running" : "Pending")
                .addNewCondition()
                .withType("ContainersReady")
                .withStatus(moved ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    private static String handoffOf(Pod target) {
        return target.getMetadata().getAnnotations().get("kompact.dev/handoff-of");
    }

    @Override
    public void deleteNode(String name) {
        simulator.terminate(name);
    }

    @Override
    public void recordEvent(ObjectReference about, String reason, String message, boolean warning) {
        // events are for people watching a cluster; the run's counters say what happened
    }

    private Pod toPod(SimPod pod) {
        boolean ready = pod.ready(simulator.now());
        CachedPod cached = pods.get(pod.name());
        if (cached != null
                && cached.uid().equals(pod.uid())
                && cached.ready() == ready
                && java.util.Objects.equals(cached.node(), pod.node())) {
            return cached.pod();
        }
        var model = pod.model();
        Pod built = new PodBuilder()
                .withNewMetadata()
                .withNamespace(model.namespace())
                .withName(model.name())
                .withUid(pod.uid())
                .withLabels(model.labels())
                .withAnnotations(model.annotations())
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind(model.owner().kind())
                .withName(model.owner().name())
                .withUid(CONTROLLER_UID_PREFIX + model.owner().name())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(pod.node())
                .withTerminationGracePeriodSeconds(30L)
                .addNewContainer()
                .withName("main")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(pod.node() == null ? "Pending" : "Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .addNewContainerStatus()
                .withName("main")
                .withContainerID("containerd://" + pod.uid())
                .withReady(ready)
                .endContainerStatus()
                .endStatus()
                .build();
        pods.put(pod.name(), new CachedPod(pod.uid(), pod.node(), ready, built));
        return built;
    }

    private static Node toNode(SimNode node) {
        Map<String, String> labels = new TreeMap<>(node.offering().labels());
        labels.put("kubernetes.io/hostname", node.name());
        return new NodeBuilder()
                .withNewMetadata()
                .withName(node.name())
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withProviderID("aws:///" + node.offering().zone() + "/" + node.instanceId())
                .withTaints(node.taints().stream()
                        .map(k -> new TaintBuilder()
                                .withKey(k)
                                .withEffect("NoSchedule")
                                .build())
                        .toList())
                .endSpec()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }
}

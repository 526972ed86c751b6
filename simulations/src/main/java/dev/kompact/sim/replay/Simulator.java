package dev.kompact.sim.replay;

import dev.kompact.optimizer.bound.LowerBound;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.oracle.ClusterState;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;

/**
 * A discrete-event replay of a trace on a simulated cluster, deterministic for a seed.
 * <ol>
 *   <li>Events, in time order and, at one instant, in the order they were scheduled: a pod is created (pending) or
 *       deleted; a launched node becomes Ready; the policy's interval comes round; a sample is taken.</li>
 *   <li>After the events of an instant, the scheduler binds pending pods in creation order, each to the best-scored
 *       Ready, untainted node that {@link ClusterState#whyNot} admits it to; the pods left that no node on its way
 *       is meant for go to the policy's provisioner, whose nodes are Ready after a provisioning delay.</li>
 *   <li>A policy acting on the cluster may let time pass ({@link #advanceTo}), as a plan being carried out does:
 *       the events due meanwhile happen, so a plan meets pods arriving and leaving while it runs.</li>
 * </ol>
 * Node-hours, dollars and pending pod-seconds are integrated exactly between events. Random draws (provisioning
 * delays, which pods opt in to live migration) come from one generator seeded per run, in event order.
 * One class of some 550 lines because the event queue, the clock, the random draws and the integrals all advance
 * together at every event; apart, each would need the others' state at every step.
 */
public final class Simulator {

    private static final String GROUP_LABEL = "app";

    private final Trace trace;
    private final SimSettings settings;
    private final Policy policy;
    private final long seed;
    private final Random random;
    private final List<InstanceOffering> offerings;
    private final TraceOfferings catalogue;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final ClusterState state;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<String, SimPod> pods = new LinkedHashMap<>();
    private final Map<String, SimPod> pending = new LinkedHashMap<>();
    private final Map<String, Map<String, SimPod>> podsByGroup = new HashMap<>();
    private final Map<String, String> nominated = new HashMap<>();
    private final RunCounters counters = new RunCounters();
    private final List<Sample> samples = new ArrayList<>();
    private final ProgressListener progress;
    private long now;
    private long sequence;
    private long capacityVersion;
    private int nodeCounter;
    private long uidCounter;
    private long nextBound;

    public Simulator(
            Trace trace,
            SimSettings settings,
            Policy policy,
            long seed,
            TraceOfferings catalogue,
            ProgressListener progress) {
        this.trace = trace;
        this.settings = settings;
        this.policy = policy;
        this.seed = seed;
        this.random = new Random(seed);
        this.catalogue = catalogue;
        this.offerings = catalogue.all().stream().map(this::withAgentLabel).toList();
        this.state = new ClusterState(new ClusterSnapshot("sim", List.of(), List.of(), List.of(), offerings));
        this.progress = progress;
    }

    public RunResult run() {
        long wallStart = System.nanoTime();
        for (TracePod pod : trace.pods()) {
            at(pod.createdSeconds(), () -> arrive(pod));
            at(pod.deletedSeconds(), () -> leave(pod.name()));
        }
        if (settings.fixedFleet()) {
            trace.nodes().forEach(n -> launch(withAgentLabel(catalogue.forNode(n)), 0));
        }
        long end = trace.endSeconds();
        long interval = Math.max(1, settings.interval().toSeconds());
        if (interval < end) {
            at(interval, () -> tick(interval));
        }
        at(0, this::sample);
        advanceTo(end);
        if (samples.get(samples.size() - 1).seconds() < end) {
            sample();
        }
        return new RunResult(
                policy.id(),
                policy.description(),
                policy.provisioner().name(),
                settings.scoring().name(),
                seed,
                end,
                counters,
                List.copyOf(samples),
                (System.nanoTime() - wallStart) / 1_000_000);
    }

    // --- time

    public long now() {
        return now;
    }

    public Instant instant() {
        return Instant.ofEpochSecond(now);
    }

    /**
     * Lets time pass to {@code seconds}, carrying out every event due on the way. What a policy changed since the
     * last event (an eviction) is scheduled first, at the instant it happened.
     */
    public void advanceTo(long seconds) {
        settle();
        while (!events.isEmpty() && events.peek().time() <= seconds) {
            long time = events.peek().time();
            integrateTo(time);
            while (!events.isEmpty() && events.peek().time() == time) {
                events.poll().action().run();
            }
            settle();
        }
        integrateTo(seconds);
    }

    /** When the next event is due, or {@link Long#MAX_VALUE} when none is. */
    public long nextEventTime() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peek().time();
    }

    public SimSettings settings() {
        return settings;
    }

    // --- the cluster

    public Collection<SimNode> nodes() {
        return nodes.values();
    }

    public Optional<SimNode> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    public Collection<SimPod> pods() {
        return pods.values();
    }

    public Optional<SimPod> pod(String name) {
        return Optional.ofNullable(pods.get(name));
    }

    public List<SimPod> podsOn(String nodeName) {
        return state.podsOn(nodeName).stream()
                .map(p -> pods.get(p.name()))
                .filter(p -> p != null)
                .toList();
    }

    /** The live pods of one controller, which runs in a namespace of its own. */
    public Collection<SimPod> podsOf(String group) {
        return podsByGroup.getOrDefault(group, Map.of()).values();
    }

    public ClusterState state() {
        return state;
    }

    public List<InstanceOffering> offerings() {
        return offerings;
    }

    /**
     * The cluster as a policy plans on it: Ready nodes without a taint and the pods bound to them. Nodes on their
     * way and pending pods are the provisioner's.
     */
    public ClusterSnapshot snapshot() {
        List<Node> schedulable = new ArrayList<>();
        List<Pod> running = new ArrayList<>();
        for (SimNode node : nodes.values()) {
            if (node.schedulable()) {
                schedulable.add(state.node(node.name()).orElseThrow());
                for (Pod pod : state.podsOn(node.name())) {
                    running.add(pod.withNodeName(node.name()));
                }
            }
        }
        return new ClusterSnapshot("sim", schedulable, running, List.of(), offerings);
    }

    public SimNode launch(InstanceOffering offering) {
        long delay = settings.provisioningMin().toSeconds()
                + (long) (random.nextDouble()
                        * (settings.provisioningMax().toSeconds()
                                - settings.provisioningMin().toSeconds()));
        return launch(offering, now + delay);
    }

    /** Marks the pod as meant for a node on its way, so that the provisioner does not buy for it twice. */
    public void nominate(SimPod pod, SimNode node) {
        nominated.put(pod.name(), node.name());
    }

    public void evict(SimPod pod) {
        if (pod.node() == null) {
            return;
        }
        state.unplace(pod.model());
        pod.evicted(newUid());
        pending.put(pod.name(), pod);
        counters.evictions++;
        roomChanged();
    }

    /** Moves a pod live to a schedulable node that admits it; false, and nothing changed, otherwise. */
    public boolean migrate(SimPod pod, String target) {
        SimNode node = nodes.get(target);
        if (pod.node() == null
                || node == null
                || !node.ready()
                || state.whyNot(pod.model(), target).isPresent()) {
            return false;
        }
        state.place(pod.model(), target);
        pod.moveLive(target);
        counters.liveMigrations++;
        roomChanged();
        return true;
    }

    /** Gives an instance back; refused while a pod is bound to it. */
    public void terminate(String nodeName) {
        SimNode node = nodes.get(nodeName);
        if (node == null) {
            return;
        }
        if (node.ready()) {
            state.removeNode(nodeName);
        }
        nodes.remove(nodeName);
        nominated.values().removeIf(nodeName::equals);
        counters.nodesTerminated++;
        roomChanged();
    }

    public void taint(String nodeName, String key) {
        node(nodeName).ifPresent(n -> n.taint(key));
    }

    public void untaint(String nodeName, String key) {
        node(nodeName).ifPresent(n -> n.untaint(key));
        roomChanged();
    }

    /** Counts a plan: its solve time, and whether it was carried out, refused or failed. */
    public void recordPlan(long solveMillis, String outcome) {
        counters.plansMade++;
        counters.solveMillis.add(solveMillis);
        counters.planOutcomes.add(outcome);
    }

    public void recordPlanExecuted(boolean succeeded) {
        counters.plansExecuted++;
        if (!succeeded) {
            counters.plansFailed++;
        }
    }

    // --- events

    private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private void at(long time, Runnable action) {
        events.add(new Event(time, sequence++, action));
    }

    private void arrive(TracePod tracePod) {
        Map<String, String> annotations = new TreeMap<>();
        if (policy.runsAgents() && random.nextDouble() < settings.liveShare()) {
            annotations.put(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true");
        }
        Map<String, String> labels = Map.of(GROUP_LABEL, tracePod.group());
        ResourceList requests = ResourceList.of(Map.of(
                ResourceNames.CPU,
                tracePod.cpuMillis(),
                ResourceNames.MEMORY,
                tracePod.memoryBytes(),
                ResourceNames.NVIDIA_GPU,
                (long) tracePod.gpus()));
        AffinityRules affinity = tracePod.hostnameSpread()
                ? new AffinityRules(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(new TopologySpreadConstraint(
                                1, WellKnownLabels.HOSTNAME, true, new LabelSelector(labels, List.of()))))
                : AffinityRules.NONE;
        // a namespace per controller: what the executor lists per namespace is then one workload's pods
        Pod model = new Pod(
                tracePod.group(),
                tracePod.name(),
                null,
                new Owner("ReplicaSet", tracePod.group()),
                requests,
                ResourceList.EMPTY,
                0,
                labels,
                annotations,
                Map.of(),
                List.of(),
                List.of(),
                affinity,
                List.of(),
                null);
        SimPod pod = new SimPod(tracePod, model, newUid());
        pods.put(pod.name(), pod);
        podsByGroup
                .computeIfAbsent(tracePod.group(), g -> new LinkedHashMap<>())
                .put(pod.name(), pod);
        pending.put(pod.name(), pod);
        counters.podsSeen++;
    }

    private void leave(String name) {
        SimPod pod = pods.remove(name);
        if (pod == null) {
            return;
        }
        pending.remove(name);
        nominated.remove(name);
        podsByGroup.get(pod.trace().group()).remove(name);
        if (pod.node() != null) {
            state.unplace(pod.model());
            pod.unbind();
        }
        roomChanged();
    }

    private SimNode launch(InstanceOffering offering, long readyAt) {
        String name = "node-" + (++nodeCounter);
        SimNode node = new SimNode(name, String.format("i-%017x", nodeCounter), offering, now, readyAt);
        nodes.put(name, node);
        counters.nodesLaunched++;
        at(readyAt, () -> becomeReady(node));
        return node;
    }

    private void becomeReady(SimNode node) {
        if (!nodes.containsKey(node.name())) {
            return;
        }
        state.addNode(node.name(), node.offering());
        node.markReady();
        nominated.values().removeIf(node.name()::equals);
        roomChanged();
    }

    private void tick(long interval) {
        policy.consolidate(this);
        settle();
        long next = (now / interval + 1) * interval;
        if (next < trace.endSeconds()) {
            at(next, () -> tick(interval));
        }
    }

    private void sample() {
        long requestedCpu = 0;
        long requestedMemory = 0;
        long requestedGpus = 0;
        for (SimPod pod : pods.values()) {
            if (pod.node() != null) {
                requestedCpu += pod.trace().cpuMillis();
                requestedMemory += pod.trace().memoryBytes();
                requestedGpus += pod.trace().gpus();
            }
        }
        long cpu = 0;
        long memory = 0;
        long gpus = 0;
        long price = 0;
        for (SimNode node : nodes.values()) {
            ResourceList allocatable = node.offering().allocatable();
            cpu += allocatable.get(ResourceNames.CPU);
            memory += allocatable.get(ResourceNames.MEMORY);
            gpus += allocatable.get(ResourceNames.NVIDIA_GPU);
            price += node.offering().pricePerHourMicros();
        }
        long bound = -1;
        if (now >= nextBound) {
            bound = lowerBound();
            nextBound = now + Math.max(1, settings.boundStep().toSeconds());
        }
        samples.add(new Sample(
                now,
                nodes.size(),
                price,
                requestedCpu,
                requestedMemory,
                requestedGpus,
                cpu,
                memory,
                gpus,
                pending.size(),
                bound));
        progress.reached(policy.id(), seed, now, trace.endSeconds());
        long step = Math.max(1, settings.sampleStep().toSeconds());
        if (now + step <= trace.endSeconds()) {
            at(now + step, this::sample);
        }
    }

    /** The project's lower bound for holding the running pods on the Ready nodes and the offerings. */
    private long lowerBound() {
        ClusterSnapshot snapshot = snapshot();
        if (snapshot.pods().isEmpty()) {
            return 0;
        }
        var problem = new ClusterPlacementFactory(InstanceCatalog.bundled()).build(snapshot);
        return LowerBound.of(
                        problem,
                        offerings,
                        DaemonSetOverhead.of(snapshot.pods()),
                        snapshot.nodes().stream()
                                .mapToLong(Node::pricePerHourMicros)
                                .sum())
                .cost()
                .microsPerHour();
    }

    // --- scheduling

    private void settle() {
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
            policy.provisioner().provision(this, unschedulable);
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
        pending.remove(pod.name());
        nominated.remove(pod.name());
        long readyAt = pod.restarting() ? now + settings.restartDelay().toSeconds() : now;
        pod.bind(nodeName, readyAt);
        if (readyAt > now) {
            // wakes whoever waits for the replacement to be Ready
            at(readyAt, () -> {});
        }
    }

    /** Room was freed or added: pods the scheduler gave up on are worth another look. */
    private void roomChanged() {
        capacityVersion++;
    }

    private void integrateTo(long time) {
        if (time <= now) {
            return;
        }
        long dt = time - now;
        long price = 0;
        for (SimNode node : nodes.values()) {
            price += node.offering().pricePerHourMicros();
        }
        counters.nodeSeconds += nodes.size() * dt;
        counters.priceSeconds += price * dt;
        counters.pendingPodSeconds += pending.size() * dt;
        now = time;
    }

    private String newUid() {
        return String.format("%08x-sim-%d", seed & 0xffffffffL, ++uidCounter);
    }

    private InstanceOffering withAgentLabel(InstanceOffering offering) {
        if (!policy.runsAgents()) {
            return offering;
        }
        Map<String, String> labels = new TreeMap<>(offering.labels());
        labels.put(WellKnownLabels.KOMPACT_AGENT, "true");
        return new InstanceOffering(
                offering.instanceType(),
                offering.zone(),
                offering.capacityType(),
                offering.pricePerHourMicros(),
                offering.allocatable(),
                labels);
    }
}

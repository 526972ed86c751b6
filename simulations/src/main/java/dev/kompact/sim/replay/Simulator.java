package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.oracle.ClusterState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A discrete-event replay of a trace on a simulated cluster, deterministic for a seed.
 * <ol>
 *   <li>Events, in time order and, at one instant, in the order they were scheduled: a pod is created (pending) or
 *       deleted; a launched node becomes Ready; the policy's interval comes round; a sample is taken.</li>
 *   <li>After the events of an instant, the {@link Scheduler} binds what pods it can; the policy's provisioner
 *       launches nodes for the others, which are Ready after a provisioning delay.</li>
 *   <li>A policy acting on the cluster may let time pass ({@link #advanceTo}), as a plan being carried out does:
 *       the events due meanwhile happen, so a plan meets pods arriving and leaving while it runs.</li>
 * </ol>
 * Node-hours, dollars and pending pod-seconds are integrated exactly between events, into {@link RunCounters}.
 * Random draws (provisioning delays, which pods opt in to live migration) come from one generator seeded per run,
 * in event order; {@link Sampler} takes the samples. About 350 lines because it is the one port every policy reads and
 * changes the simulated cluster through (each read or action a few lines); the queue, scheduler, sampler and counters
 * live apart.
 */
public final class Simulator {

    private final Trace trace;
    private final SimSettings settings;
    private final Policy policy;
    private final long seed;
    private final Random random;
    private final List<InstanceOffering> offerings;
    private final TraceOfferings catalogue;
    private final EventQueue events = new EventQueue();
    private final ClusterState state;
    private final Map<String, SimNode> nodes = new LinkedHashMap<>();
    private final Map<String, SimPod> pods = new LinkedHashMap<>();
    private final Map<String, Map<String, SimPod>> podsByGroup = new HashMap<>();
    private final RunCounters counters = new RunCounters();
    private final List<Sample> samples = new ArrayList<>();
    private final ProgressListener progress;
    private final Scheduler scheduler;
    private final Sampler sampler;
    /** The trace's end, asked for at every tick and sample: computed once, it is a pass over every pod. */
    private final long end;

    private long now;
    private int nodeCounter;
    private long uidCounter;

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
        this.scheduler = new Scheduler(this, state, nodes, settings, policy.provisioner(), events);
        this.sampler = new Sampler(settings, offerings);
        this.end = trace.endSeconds();
    }

    public RunResult run() {
        long wallStart = System.nanoTime();
        for (TracePod pod : trace.pods()) {
            events.at(pod.createdSeconds(), () -> arrive(pod));
            events.at(pod.deletedSeconds(), () -> leave(pod.name()));
        }
        if (settings.fixedFleet()) {
            trace.nodes().forEach(n -> launch(withAgentLabel(catalogue.forNode(n)), 0));
        }
        long interval = Math.max(1, settings.interval().toSeconds());
        if (interval < end) {
            events.at(interval, () -> tick(interval));
        }
        events.at(0, this::sample);
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
        scheduler.settle();
        while (!events.isEmpty() && events.nextTime() <= seconds) {
            integrateTo(events.nextTime());
            events.runNext();
            scheduler.settle();
        }
        integrateTo(seconds);
    }

    /** When the next event is due, or {@link Long#MAX_VALUE} when none is. */
    public long nextEventTime() {
        return events.nextTime();
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
        long delay = settings.provisioningDelaySeconds(random);
        return launch(offering, now + delay);
    }

    /** Marks the pod as meant for a node on its way, so that the provisioner does not buy for it twice. */
    public void nominate(SimPod pod, SimNode node) {
        scheduler.nominate(pod, node);
    }

    public void evict(SimPod pod) {
        if (pod.node() == null) {
            return;
        }
        state.unplace(pod.model());
        pod.evicted(newUid());
        scheduler.pend(pod);
        counters.evictions++;
        scheduler.roomChanged();
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
        scheduler.roomChanged();
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
        scheduler.nominationsEnd(nodeName);
        counters.nodesTerminated++;
        scheduler.roomChanged();
    }

    public void taint(String nodeName, String key) {
        node(nodeName).ifPresent(n -> n.taint(key));
    }

    public void untaint(String nodeName, String key) {
        node(nodeName).ifPresent(n -> n.untaint(key));
        scheduler.roomChanged();
    }

    /** Counts a plan: its solve time, and whether it was carried out, refused or failed. */
    public void recordPlan(long solveMillis, String outcome) {
        counters.plan(solveMillis, outcome);
    }

    public void recordPlanExecuted(boolean succeeded) {
        counters.planExecuted(succeeded);
    }

    // --- events

    private void arrive(TracePod tracePod) {
        Map<String, String> annotations = new TreeMap<>();
        if (policy.runsAgents() && random.nextDouble() < settings.liveShare()) {
            annotations.put(WellKnownLabels.KOMPACT_LIVE_MIGRATE, "true");
        }
        SimPod pod = new SimPod(tracePod, tracePod.model(annotations), newUid());
        pods.put(pod.name(), pod);
        podsByGroup
                .computeIfAbsent(tracePod.group(), g -> new LinkedHashMap<>())
                .put(pod.name(), pod);
        scheduler.pend(pod);
        counters.podsSeen++;
    }

    private void leave(String name) {
        SimPod pod = pods.remove(name);
        if (pod == null) {
            return;
        }
        scheduler.forget(name);
        podsByGroup.get(pod.trace().group()).remove(name);
        if (pod.node() != null) {
            state.unplace(pod.model());
            pod.unbind();
        }
        scheduler.roomChanged();
    }

    private SimNode launch(InstanceOffering offering, long readyAt) {
        String name = "node-" + (++nodeCounter);
        SimNode node = new SimNode(name, String.format("i-%017x", nodeCounter), offering, now, readyAt);
        nodes.put(name, node);
        counters.nodesLaunched++;
        events.at(readyAt, () -> becomeReady(node));
        return node;
    }

    private void becomeReady(SimNode node) {
        if (!nodes.containsKey(node.name())) {
            return;
        }
        state.addNode(node.name(), node.offering());
        node.markReady();
        scheduler.nominationsEnd(node.name());
        scheduler.roomChanged();
    }

    private void tick(long interval) {
        policy.consolidate(this);
        scheduler.settle();
        long next = (now / interval + 1) * interval;
        if (next < end) {
            events.at(next, () -> tick(interval));
        }
    }

    private void sample() {
        samples.add(sampler.take(now, nodes.values(), pods.values(), scheduler.pendingCount(), this::snapshot));
        progress.reached(policy.id(), seed, now, end);
        long step = Math.max(1, settings.sampleStep().toSeconds());
        if (now + step <= end) {
            events.at(now + step, this::sample);
        }
    }

    private void integrateTo(long time) {
        if (time <= now) {
            return;
        }
        counters.integrate(time - now, nodes.values(), scheduler.pendingCount());
        now = time;
    }

    private String newUid() {
        return String.format("%08x-sim-%d", seed & 0xffffffffL, ++uidCounter);
    }

    private InstanceOffering withAgentLabel(InstanceOffering offering) {
        return policy.runsAgents() ? TraceOfferings.withAgent(offering) : offering;
    }
}

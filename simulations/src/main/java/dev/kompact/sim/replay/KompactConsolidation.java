package dev.kompact.sim.replay;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.PlanSpec;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.ExecutionListener;
import dev.kompact.executor.execution.ExecutorSettings;
import dev.kompact.executor.execution.PlanCompiler;
import dev.kompact.executor.execution.PlanExecutor;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.plan.NoValidPlanException;
import dev.kompact.optimizer.plan.Planner;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.solver.SolverSettings;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Kompact as it runs in a cluster, on simulated ports: every interval the optimizer's {@link Planner} plans the
 * schedulable nodes and their pods; a proposed plan is compiled by {@link PlanCompiler} into a {@code RebalancePlan}
 * resource and carried out by the executor's {@link PlanExecutor} against the simulated Kubernetes, cloud and node
 * agents ({@link SimClusterApi}, {@link SimCloud}, {@link SimMigrator}), with the simulator's clock.
 * <p>The executor polls while a step waits (a node booting, a replacement starting); it is driven through its
 * {@code keepGoing} check, which it makes before every look: when the look before persisted nothing, the executor
 * waited, and simulated time moves on to the next event or by one poll, whichever is sooner. Pending pods are left
 * to the provisioner beside it, as in a cluster where Kompact runs next to Karpenter. A cluster whose nodes and pods
 * are as they were when the last plan found nothing worth doing, give or take pods that arrived on those nodes, is
 * not planned again, nor one whose bill the lower
 * bound shows too close to the fewest dollars for the gate to pass any plan ({@link Planner#nothingToGain}).
 */
public final class KompactConsolidation implements Policy {

    static final int MAX_CONCURRENT_MIGRATIONS = 20;
    static final int MAX_DISRUPTED_NODES = 10;
    private static final long POLL_SECONDS = 2;
    private static final long LONGEST_PLAN_SECONDS = 6 * 3600;

    private final Provisioner provisioner;
    private final long seed;
    private int planCounter;
    private Map<String, String> unchangedSince;

    public KompactConsolidation(Provisioner provisioner, long seed) {
        this.provisioner = provisioner;
        this.seed = seed;
    }

    @Override
    public String id() {
        return "kompact";
    }

    @Override
    public String description() {
        return "Kompact planner + PlanExecutor with " + provisioner.name();
    }

    @Override
    public Provisioner provisioner() {
        return provisioner;
    }

    @Override
    public boolean runsAgents() {
        return true;
    }

    @Override
    public void consolidate(Simulator simulator) {
        ClusterSnapshot snapshot = simulator.snapshot();
        if (snapshot.nodes().isEmpty()) {
            return;
        }
        // the controller plans again only when the cluster changed in a way that may let it save: pods that only
        // arrived on the same nodes leave every placement of the pods before at least as dear, and add to it
        Map<String, String> placement = placement(snapshot);
        if (onlyGainedPods(placement)) {
            return;
        }
        Duration limit = simulator.settings().solveLimit();
        SolverSettings solver = new SolverSettings(limit, Duration.ofMillis(Math.max(1, limit.toMillis() / 3)), seed);
        Planner planner = new Planner(solver, (elapsed, score) -> {});
        // a bill already within the gate's minimum of the lower bound: any plan would be refused, so none is made
        if (planner.nothingToGain(snapshot).isPresent()) {
            unchangedSince = placement;
            return;
        }
        long start = System.nanoTime();
        RebalancePlan plan;
        try {
            plan = planner.plan(snapshot, MAX_DISRUPTED_NODES);
        } catch (NoValidPlanException e) {
            simulator.recordPlan((System.nanoTime() - start) / 1_000_000, "no valid plan");
            return;
        }
        boolean worthIt = plan.decision().proposed()
                && (!plan.nodesRemoved().isEmpty() || !plan.nodesAdded().isEmpty());
        simulator.recordPlan(
                (System.nanoTime() - start) / 1_000_000,
                worthIt
                        ? "carried out"
                        : "not worth it: " + String.join("; ", plan.decision().reasons()));
        unchangedSince = worthIt ? null : placement;
        if (worthIt) {
            execute(simulator, snapshot, plan);
        }
    }

    /** Each node's name to itself, each pod's key to its node's name (null when pending). */
    private static Map<String, String> placement(ClusterSnapshot snapshot) {
        Map<String, String> placement = new HashMap<>();
        snapshot.nodes().forEach(n -> placement.put(n.name(), n.name()));
        snapshot.pods().forEach(p -> placement.put(p.key().toString(), p.nodeName()));
        return placement;
    }

    /**
     * Whether, since a plan found nothing worth doing, the cluster kept its nodes and its pods where they were and
     * only gained pods, each bound to one of those nodes.
     */
    private boolean onlyGainedPods(Map<String, String> placement) {
        if (unchangedSince == null || !placement.entrySet().containsAll(unchangedSince.entrySet())) {
            return false;
        }
        return placement.entrySet().stream()
                .filter(e -> !unchangedSince.containsKey(e.getKey()))
                .allMatch(e -> e.getValue() != null
                        && unchangedSince.containsKey(e.getValue())
                        && e.getValue().equals(unchangedSince.get(e.getValue())));
    }

    private void execute(Simulator simulator, ClusterSnapshot snapshot, RebalancePlan plan) {
        PlanSpec spec = PlanCompiler.compile(
                plan, snapshot, "simulation", true, MAX_CONCURRENT_MIGRATIONS, MAX_DISRUPTED_NODES);
        RebalancePlanResource resource = new RebalancePlanResource();
        String name = "plan-" + (++planCounter);
        resource.setMetadata(
                new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
        resource.setSpec(spec);
        MemoryPlanStore store = new MemoryPlanStore();
        store.create(resource);
        ExecutorSettings defaults = ExecutorSettings.defaults();
        ExecutorSettings settings = new ExecutorSettings(
                Duration.ZERO,
                defaults.nodeReady(),
                defaults.evictionGiveUp(),
                defaults.replacementReady(),
                defaults.drainGrace(),
                defaults.firstBackoff(),
                defaults.maxBackoff());
        PlanExecutor executor = new PlanExecutor(
                new SimClusterApi(simulator),
                new SimCloud(simulator),
                Optional.of(new SimMigrator(simulator)),
                store,
                CatalogSource.bundled(),
                settings,
                ExecutionListener.NONE,
                new SimClock(simulator));
        try {
            RebalancePlanResource done = executor.run(name, waitsInSimulatedTime(simulator, store));
            simulator.recordPlanExecuted(done.getStatus() != null && done.getStatus().phase == PlanPhase.Succeeded);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while carrying out " + name, e);
        }
    }

    private static BooleanSupplier waitsInSimulatedTime(Simulator simulator, MemoryPlanStore store) {
        long giveUpAt = simulator.now() + LONGEST_PLAN_SECONDS;
        long[] writesAtLastLook = {-1};
        return () -> {
            long writes = store.writes();
            if (writes == writesAtLastLook[0]) {
                long next = Math.min(simulator.nextEventTime(), simulator.now() + POLL_SECONDS);
                simulator.advanceTo(Math.max(next, simulator.now() + 1));
            }
            writesAtLastLook[0] = writes;
            return simulator.now() < giveUpAt;
        };
    }
}

package dev.kompact.optimizer.plan;

import dev.kompact.optimizer.bound.LowerBound;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.ClusterPlacementCloner;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Headroom;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.move.Evacuation;
import dev.kompact.optimizer.oracle.PlanVerifier;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.DaemonSetOverhead;
import dev.kompact.optimizer.solver.PlacementSolver;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Snapshot in, plan out:
 * <ol>
 *   <li>build the planning problem, pack pending pods onto existing nodes ({@link PendingPodSeeder}), start from
 *       Karpenter's greedy consolidation of the result if it does better ({@link GreedySeeder}), and search
 *       until the time limit less what the steps below need, stopping early only near the lower bound or after a
 *       long stall ({@link SolverSettings}); when the best placement breaks a rule, stop and say which;</li>
 *   <li>take back the moves between kept nodes that buy nothing ({@link NeedlessMoves});</li>
 *   <li>read the placement back as a plan ordered into safe waves;</li>
 *   <li>take back the moves that no safe order admits — those pods stay where they are, which the moves ordered
 *       before them already assumed — then empty again, within their zone, the nodes those pods kept alive, and
 *       read the plan again, so that what is proposed can be carried out;</li>
 *   <li>let the gate decide whether the plan is worth its disruption;</li>
 *   <li>draw its saving-versus-disruption curve ({@link ChurnCurve}) with the time left;</li>
 *   <li>replay the plan on the {@link PlanVerifier}, apart from the solver, and reject it when the replay breaks a
 *       rule: a rejected plan is reported with its violations and never carried out.</li>
 * </ol>
 */
public final class Planner {

    private static final int MAX_REPAIRS = 3;
    private static final Duration AFTER_SEARCH_BASE = Duration.ofMillis(600);
    private static final Duration AFTER_SEARCH_PER_POD = Duration.ofNanos(300_000);
    /** Reading back and checking a plan, and drawing its curve, take about what building the problem took. */
    private static final long AFTER_SEARCH_PER_PREPARATION = 2;

    private static final long GREEDY_SHARE_OF_TIME_LIMIT = 6;

    private final SolverSettings settings;
    private final SolverProgress progress;
    private final PlanGate gate;
    private final Headroom headroom;
    private final String region;

    public Planner(SolverSettings settings, SolverProgress progress) {
        this(settings, progress, PlanGate.DEFAULT);
    }

    public Planner(SolverSettings settings, SolverProgress progress, PlanGate gate) {
        this(settings, progress, gate, Headroom.NONE);
    }

    /** @param headroom what every node keeps free of requests, as a hard rule or at a price */
    public Planner(SolverSettings settings, SolverProgress progress, PlanGate gate, Headroom headroom) {
        this(settings, progress, gate, headroom, InstanceCatalog.BUNDLED_REGION);
    }

    /** @param region the cluster's region, whose Spot Advisor buckets price the spot nodes' interruption risk */
    public Planner(SolverSettings settings, SolverProgress progress, PlanGate gate, Headroom headroom, String region) {
        this.settings = settings;
        this.progress = progress;
        this.gate = gate;
        this.headroom = headroom;
        this.region = region;
    }

    /** A plan that may disrupt every node it removes at once, as {@code kompact plan} reports it. */
    public RebalancePlan plan(ClusterSnapshot snapshot) {
        return plan(snapshot, Integer.MAX_VALUE);
    }

    /** A plan whose waves disrupt at most {@code maxDisruptedNodes} nodes at once. */
    public RebalancePlan plan(ClusterSnapshot snapshot, int maxDisruptedNodes) {
        long begin = System.nanoTime();
        long deadline = begin + settings.timeLimit().toNanos();
        // the greedy takes at most a sixth of the time limit (where it needs more, the search alone does better in
        // that time: 1,000 nodes), and a step-limited plan's all it needs, so that it comes out the same anywhere
        long greedyUntil = begin + settings.timeLimit().toNanos() / GREEDY_SHARE_OF_TIME_LIMIT;
        ClusterPlacementFactory factory = factory();
        Optional<GreedySeeder> greedy = GreedySeeder.consolidate(
                snapshot,
                s -> {
                    ClusterPlacement seeded = factory.build(s);
                    new PendingPodSeeder(s).seed(seeded);
                    return seeded;
                },
                () -> settings.stepLimit() == 0 && System.nanoTime() - greedyUntil >= 0);
        long building = System.nanoTime();
        ClusterPlacement problem =
                factory.build(snapshot, greedy.map(GreedySeeder::bought).orElse(List.of()));
        if (!headroom.none()) {
            problem.getNodes().forEach(node -> node.setHeadroom(headroom));
        }
        new PendingPodSeeder(snapshot).seed(problem);
        PlacementSolver solver = new PlacementSolver(settings, progress);
        greedy.ifPresent(g -> g.seed(problem, solver));
        // the greedy apart: reading the plan back takes about what building the problem took, not what the greedy did
        long prepared = System.nanoTime() - building;
        long start = System.nanoTime();
        // the search keeps at least half of what is left, even when a busy machine makes the reserve look larger
        long searchDeadline = Math.max(
                deadline - afterSearch(problem.getPlacements().size(), prepared), start + (deadline - start) / 2);
        // the bound's programs take seconds on large clusters: they run beside the search, on a copy, until it ends
        ClusterPlacement seeded = new ClusterPlacementCloner().cloneSolution(problem);
        AtomicLong boundDeadline = new AtomicLong(searchDeadline);
        CompletableFuture<LowerBoundEstimate> fluidBound = new CompletableFuture<>();
        CompletableFuture<LowerBoundEstimate> seededBound = CompletableFuture.supplyAsync(() -> LowerBound.of(
                seeded,
                snapshot.offerings(),
                DaemonSetOverhead.of(snapshot.pods()),
                0,
                boundDeadline::get,
                fluidBound::complete));
        // near the fluid bound is near the tighter one too, and it is known seconds earlier; the bound over
        // whole nodes, once done, can only be closer: on small clusters, where pods are large beside their
        // nodes, it often shows the first plan optimal while the fluid one leaves a gap no search closes
        AtomicLong nearBound = new AtomicLong(Long.MIN_VALUE);
        fluidBound.thenAccept(bound -> nearBound.accumulateAndGet(nearBoundCost(bound), Math::max));
        seededBound.thenAccept(bound -> nearBound.accumulateAndGet(nearBoundCost(bound), Math::max));
        PlacementSolver.Solved solved = solver.solve(problem, searchDeadline, nearBound::get);
        // a search stopped early needs the bound now: it stops tightening after its current round
        boundDeadline.set(System.nanoTime());
        ClusterPlacement solution = solved.placement();
        long solveMillis = (System.nanoTime() - start) / 1_000_000;
        if (!solution.getScore().isFeasible()) {
            throw new NoValidPlanException(solver.brokenHardRules(solution));
        }
        // half of what the time limit leaves, the reading back, ordering and checks below need the rest; a step-limited
        // plan must come out the same on any machine, so its clock never cuts this short
        long needlessUntil = System.nanoTime() + Math.max(0, deadline - System.nanoTime()) / 2;
        NeedlessMoves.takeBack(
                solver, solution, () -> settings.stepLimit() == 0 && System.nanoTime() - needlessUntil >= 0);
        PlanBuilder builder = new PlanBuilder(snapshot, DaemonSetOverhead.of(snapshot.pods()), gate, maxDisruptedNodes);
        PlanBuilder.Built built =
                builder.build(solution, solveMillis, boundOf(solution, seeded, seededBound, snapshot));
        for (int repair = 0; repair < MAX_REPAIRS && !built.unordered().isEmpty(); repair++) {
            Set<PodKey> stuck = new HashSet<>();
            built.unordered().keySet().forEach(move -> stuck.add(move.pod()));
            Set<NodeSlot> used = new HashSet<>();
            solution.getPlacements().forEach(p -> used.add(p.getNode()));
            Set<NodeSlot> revived = new LinkedHashSet<>();
            for (PodPlacement placement : solution.getPlacements()) {
                if (stuck.contains(placement.getPod().key())) {
                    NodeSlot current = placement.getCurrentNode();
                    placement.setNode(current);
                    if (current != null && !used.contains(current) && !current.isKept()) {
                        revived.add(current);
                    }
                }
            }
            solver.rescore(solution);
            if (repair < MAX_REPAIRS - 1) {
                // its moves are ordered by the next round, which takes back any that no order admits
                evacuate(solver, solution, revived);
            }
            // taking moves back leaves the same pods placed, so the bound stays; only the gap changes
            built = builder.build(solution, solveMillis, built.plan().lowerBound());
        }
        Search search = new Search(
                solved.stoppedBecause().description(),
                solved.bestMillis(),
                settings.timeLimit().toMillis());
        List<ChurnPoint> curve = new ChurnCurve(snapshot, solver, builder, deadline).of(solution, built.plan());
        RebalancePlan plan = built.plan().withSearch(search, curve);
        List<String> violations = new PlanVerifier().verify(snapshot, plan, headroom);
        return violations.isEmpty() ? plan : plan.withDecision(Decision.rejected(violations));
    }

    /**
     * Why planning this cluster now would be wasted, without searching: its bill is so close to the lower bound that
     * the gate would refuse any plan. Empty when a plan might pass, or when pods are pending (placing them may need
     * nodes the bound of the running pods does not count).
     */
    public Optional<String> nothingToGain(ClusterSnapshot snapshot) {
        if (snapshot.pods().stream().anyMatch(Pod::isPending)) {
            return Optional.empty();
        }
        ClusterPlacement problem = factory().build(snapshot);
        long bound = LowerBound.of(problem, snapshot.offerings(), DaemonSetOverhead.of(snapshot.pods()), 0)
                .cost()
                .microsPerHour();
        long before =
                snapshot.nodes().stream().mapToLong(Node::pricePerHourMicros).sum();
        return gate.unreachable(before, bound);
    }

    private ClusterPlacementFactory factory() {
        return new ClusterPlacementFactory(InstanceCatalog.bundled().inRegion(region), gate.minSavingsPerDisruption());
    }

    /**
     * What the plan may still need once the search ends: reading it back, ordering, repairs, the churn curve and the
     * independent check, which grow with the pods and, like building the problem, with how busy the machine is; kept
     * out of the search so that the time limit bounds the whole plan.
     */
    private static long afterSearch(int pods, long preparedNanos) {
        long bySize = AFTER_SEARCH_BASE.toNanos() + AFTER_SEARCH_PER_POD.toNanos() * pods;
        return Math.max(bySize, AFTER_SEARCH_PER_PREPARATION * preparedNanos);
    }

    /**
     * The bound computed beside the search when the plan places the same pods as the seeded start (it does unless a
     * pod no existing node admitted was placed on a new one or left out), else the fluid bounds only: there is no
     * time left for more.
     */
    private static LowerBoundEstimate boundOf(
            ClusterPlacement solution,
            ClusterPlacement seeded,
            CompletableFuture<LowerBoundEstimate> seededBound,
            ClusterSnapshot snapshot) {
        if (placedPods(solution).equals(placedPods(seeded))) {
            return seededBound.join();
        }
        return LowerBound.of(solution, snapshot.offerings(), DaemonSetOverhead.of(snapshot.pods()), 0);
    }

    private static Set<PodKey> placedPods(ClusterPlacement placement) {
        Set<PodKey> placed = new HashSet<>();
        placement.getPlacements().stream()
                .filter(p -> p.getNode() != null)
                .forEach(p -> placed.add(p.getPod().key()));
        return placed;
    }

    /** The price of the plan's nodes at which its search may stop: within {@link SolverSettings#NEAR_BOUND} of it. */
    private static long nearBoundCost(LowerBoundEstimate bound) {
        return (long) Math.floor(bound.cost().microsPerHour() * (1 + SolverSettings.NEAR_BOUND));
    }

    /** Empties again the nodes that taken-back pods revived, unless that breaks a rule. */
    private static void evacuate(PlacementSolver solver, ClusterPlacement solution, Set<NodeSlot> revived) {
        Map<PodPlacement, NodeSlot> previous = Evacuation.evacuate(solution, revived);
        if (previous.isEmpty()) {
            return;
        }
        solver.rescore(solution);
        if (!solution.getScore().isFeasible()) {
            previous.forEach(PodPlacement::setNode);
            solver.rescore(solution);
        }
    }
}

package dev.kompact.optimizer.greedy;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.MobilityRules;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.oracle.ClusterState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Karpenter's consolidation (kubernetes-sigs/karpenter, {@code pkg/controllers/disruption}), replayed until it finds
 * nothing more to do, with every NodePool allowing spot and on-demand and the snapshot's offerings as its instance
 * types. Each pass of the loop ({@code controller.go}) runs the methods in Karpenter's order and executes the first
 * command found, then starts again:
 * <ol>
 *   <li>Emptiness ({@code emptiness.go}): candidates without reschedulable pods are deleted together.</li>
 *   <li>Multi-node ({@code multinodeconsolidation.go}): over the candidates sorted by disruption cost, a binary search
 *       on n finds the largest prefix of at most 101 ({@code maxParallel} 100, prefix {@code [0, mid]}) whose pods
 *       all reschedule onto the other nodes, or onto them and at most one new node; {@code filterOutSameType}
 *       rejects a replacement of a type being removed unless it is cheaper than that node.</li>
 *   <li>Single-node ({@code singlenodeconsolidation.go}): the first candidate, in the same order, that can be deleted
 *       or replaced by one cheaper node.</li>
 * </ol>
 * The scheduling simulation ({@code consolidation.go computeConsolidation}, the provisioner's scheduler): the
 * candidates' pods, largest CPU then memory first ({@code byCPUAndMemoryDescending}), go to the first other node that
 * admits them; the rest must fit one new node, the cheapest offering that holds them all and costs less than the
 * candidates together ({@code filterByPrice}; Karpenter launches the cheapest). A replacement for candidates that are
 * all spot is spot-to-spot consolidation, off by default ({@code SpotToSpotConsolidation} feature gate): they may only
 * be deleted.
 * <p>Candidates ({@code types.go NewCandidate}, {@code pdblimits.go}): not annotated to be kept, holding no pod that
 * may not be disrupted ({@link MobilityRules}: {@code karpenter.sh/do-not-disrupt}, bare pods...) and no pod whose
 * PodDisruptionBudget allows no disruption now. Disruption cost ({@code utils/disruption}): the sum over reschedulable
 * pods of clamp(1 + priority/2^25 + pod-deletion-cost/2^27, -10, 10), times the lifetime remaining (1: no expiry here).
 * <p>Not modelled: disruption budgets and consolidateAfter only pace the loop, not where it ends. Karpenter's 1- and
 * 3-minute search timeouts become the caller's {@code stop}: like Karpenter's multi-node timeout, a stopped binary
 * search executes the best command it had found, and every command executed before stays.
 * <p>The simulations replay it as Karpenter's consolidation; the planner starts its search from its end state.
 */
public final class GreedyConsolidation {

    static final int MAX_PARALLEL = 100;

    /** Where the greedy left the cluster, and whether it ended there because no method found anything more. */
    public record Consolidated(ClusterState after, boolean finished) {}

    /** The cluster once no method finds anything more to do. */
    public ClusterState run(ClusterSnapshot snapshot) {
        return run(snapshot, () -> false).after();
    }

    /** The cluster once no method finds anything more to do, or once {@code stop} answers true between two trials. */
    public Consolidated run(ClusterSnapshot snapshot, BooleanSupplier stop) {
        Run run = new Run(snapshot, stop);
        while (!run.stopping()
                && (run.deleteEmpty() || run.consolidateMultipleNodes() || run.consolidateSingleNode())) {
            // each method acts once per pass; the loop starts over from emptiness, as Karpenter's controller does
        }
        return new Consolidated(run.simulation.committed(), !run.stopped);
    }

    /** Delete the candidates, or replace them with one node of {@code replacement}. */
    private record Command(List<Node> candidates, InstanceOffering replacement) {}

    private static final class Run {

        private final Simulation simulation;
        private final List<InstanceOffering> offeringsByPrice;
        private final Set<PodKey> undisruptable = new HashSet<>();
        private final BooleanSupplier stop;
        private boolean stopped;

        Run(ClusterSnapshot snapshot, BooleanSupplier stop) {
            this.stop = stop;
            this.simulation = new Simulation(snapshot, "karpenter");
            List<PodDisruptionBudget> blocking = snapshot.podDisruptionBudgets().stream()
                    .filter(b -> b.disruptionsAllowed() <= 0)
                    .toList();
            Map<String, Node> nodes = new HashMap<>();
            snapshot.nodes().forEach(n -> nodes.put(n.name(), n));
            for (Pod pod : snapshot.pods()) {
                Node node = nodes.get(pod.nodeName());
                if (!pod.isNodeBound()
                        && (MobilityRules.classify(pod, node) == Mobility.PINNED
                                || blocking.stream().anyMatch(b -> b.covers(pod)))) {
                    undisruptable.add(pod.key());
                }
            }
            this.offeringsByPrice = snapshot.offerings().stream()
                    .sorted(Comparator.comparingLong(InstanceOffering::pricePerHourMicros)
                            .thenComparing(InstanceOffering::instanceType)
                            .thenComparing(InstanceOffering::zone)
                            .thenComparing(InstanceOffering::capacityType))
                    .toList();
        }

        /** Whether {@code stop} has answered true; once it has, every method finds nothing. */
        boolean stopping() {
            stopped = stopped || stop.getAsBoolean();
            return stopped;
        }

        boolean deleteEmpty() {
            List<Node> empty = candidates().stream()
                    .filter(n -> simulation.workloadOn(n.name()).isEmpty())
                    .toList();
            empty.forEach(n -> simulation.removeNode(n.name()));
            return !empty.isEmpty();
        }

        boolean consolidateMultipleNodes() {
            List<Node> candidates = candidates();
            if (candidates.size() < 2) {
                return false;
            }
            int min = 1;
            int max = Math.min(candidates.size(), MAX_PARALLEL);
            if (candidates.size() <= max) {
                max = candidates.size() - 1;
            }
            Command best = null;
            while (min <= max && !stopping()) {
                int mid = (min + max) / 2;
                Optional<Command> command = compute(candidates.subList(0, mid + 1));
                if (command.isPresent()) {
                    best = command.get();
                    min = mid + 1;
                } else {
                    max = mid - 1;
                }
            }
            if (best == null) {
                return false;
            }
            execute(best);
            return true;
        }

        boolean consolidateSingleNode() {
            for (Node candidate : candidates()) {
                if (stopping()) {
                    return false;
                }
                Optional<Command> command = compute(List.of(candidate));
                if (command.isPresent()) {
                    execute(command.get());
                    return true;
                }
            }
            return false;
        }

        /** The command for these candidates, if any; the cluster is left as it was. */
        private Optional<Command> compute(List<Node> candidates) {
            int mark = simulation.mark();
            try {
                List<Pod> leftovers = evacuate(candidates);
                if (leftovers.isEmpty()) {
                    return Optional.of(new Command(candidates, null));
                }
                if (candidates.stream().allMatch(n -> n.capacityType() == CapacityType.SPOT)) {
                    return Optional.empty();
                }
                long candidatePrice =
                        candidates.stream().mapToLong(Node::pricePerHourMicros).sum();
                int beforeReplacement = simulation.mark();
                Map<String, Long> demand = simulation.demandOf(leftovers);
                for (InstanceOffering offering : offeringsByPrice) {
                    if (offering.pricePerHourMicros() >= candidatePrice) {
                        return Optional.empty();
                    }
                    if (simulation.open(offering, leftovers, demand).isPresent()) {
                        simulation.rollbackTo(beforeReplacement);
                        return candidates.size() > 1 && replacesWithSameType(candidates, offering, leftovers)
                                ? Optional.empty()
                                : Optional.of(new Command(candidates, offering));
                    }
                }
                return Optional.empty();
            } finally {
                simulation.rollbackTo(mark);
            }
        }

        /**
         * {@code filterOutSameType}: if a candidate no dearer than the replacement is of a type that could itself
         * hold the pods, keeping it and deleting the others disrupts less for the same saving.
         */
        private boolean replacesWithSameType(List<Node> candidates, InstanceOffering replacement, List<Pod> pods) {
            for (Node candidate : candidates) {
                if (candidate.pricePerHourMicros() > replacement.pricePerHourMicros()) {
                    continue;
                }
                Optional<InstanceOffering> sameType = offeringsByPrice.stream()
                        .filter(o -> o.instanceType().equals(candidate.instanceType())
                                && o.zone().equals(replacement.zone())
                                && o.capacityType() == replacement.capacityType())
                        .findFirst();
                int mark = simulation.mark();
                boolean fits = sameType.flatMap(o -> simulation.open(o, pods)).isPresent();
                simulation.rollbackTo(mark);
                if (fits) {
                    return true;
                }
            }
            return false;
        }

        private void execute(Command command) {
            List<Pod> leftovers = evacuate(command.candidates());
            if (!leftovers.isEmpty()
                    && (command.replacement() == null
                            || simulation.open(command.replacement(), leftovers).isEmpty())) {
                throw new IllegalStateException("a computed consolidation no longer schedules: " + command);
            }
            simulation.commit();
            command.candidates().forEach(n -> simulation.removeNode(n.name()));
        }

        /** Takes the candidates' pods off and reschedules them onto the other nodes; answers those that found none. */
        private List<Pod> evacuate(List<Node> candidates) {
            Set<String> leaving = new HashSet<>();
            List<Pod> pods = new ArrayList<>();
            for (Node candidate : candidates) {
                leaving.add(candidate.name());
                pods.addAll(simulation.workloadOn(candidate.name()));
            }
            // a total order: trying a command takes pods off their nodes and puts them back, which changes the order
            // the state lists them in, and the command executed must be the one computed
            pods.sort(Comparator.comparingLong((Pod p) -> p.requests().get(ResourceNames.CPU))
                    .thenComparingLong(p -> p.requests().get(ResourceNames.MEMORY))
                    .reversed()
                    .thenComparing(Pod::key));
            pods.forEach(simulation::unplace);
            List<String> nodes =
                    simulation.state().nodes().stream().map(Node::name).toList();
            List<Pod> leftovers = new ArrayList<>();
            for (Pod pod : pods) {
                simulation
                        .firstAdmitting(pod, nodes, leaving)
                        .ifPresentOrElse(node -> simulation.move(pod, node), () -> leftovers.add(pod));
            }
            return leftovers;
        }

        private List<Node> candidates() {
            Map<Node, Double> costs = new HashMap<>();
            for (Node node : simulation.state().nodes()) {
                List<Pod> pods = simulation.workloadOn(node.name());
                if (!MobilityRules.isKept(node) && pods.stream().noneMatch(p -> undisruptable.contains(p.key()))) {
                    costs.put(node, disruptionCost(pods));
                }
            }
            return costs.keySet().stream()
                    .sorted(Comparator.comparingDouble((Node n) -> costs.get(n)).thenComparing(Node::name))
                    .toList();
        }

        private static double disruptionCost(List<Pod> pods) {
            double cost = 0;
            for (Pod pod : pods) {
                double deletionCost = parseOrZero(pod.annotations().get(WellKnownLabels.POD_DELETION_COST));
                cost += Math.max(
                        -10, Math.min(10, 1 + pod.priority() / Math.pow(2, 25) + deletionCost / Math.pow(2, 27)));
            }
            return cost;
        }

        private static double parseOrZero(String number) {
            if (number == null) {
                return 0;
            }
            try {
                return Double.parseDouble(number);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }
}

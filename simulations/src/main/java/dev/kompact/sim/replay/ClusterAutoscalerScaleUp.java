package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.InstanceOffering;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cluster Autoscaler's scale-up ({@code core/scaleup}) over fixed node groups, with the {@code least-waste}
 * expander: for each group, the pending pods (largest first) are packed first-fit onto one node of it; the group
 * whose node would leave the least CPU and memory idle wins (the cheaper on a tie), a node of it is bought for those
 * pods, and the rest go round again. Pods no group holds stay pending, as Cluster Autoscaler leaves them.
 */
public final class ClusterAutoscalerScaleUp implements Provisioner {

    private final List<InstanceOffering> nodeGroups;

    public ClusterAutoscalerScaleUp(List<InstanceOffering> nodeGroups) {
        this.nodeGroups = List.copyOf(nodeGroups);
    }

    @Override
    public String name() {
        return "cluster-autoscaler-least-waste";
    }

    @Override
    public void provision(Simulator simulator, List<SimPod> unschedulable) {
        List<SimPod> left = new ArrayList<>(unschedulable);
        left.sort(Comparator.comparingLong((SimPod p) -> p.trace().gpus())
                .thenComparingLong(p -> p.trace().cpuMillis())
                .thenComparingLong(p -> p.trace().memoryBytes())
                .reversed()
                .thenComparing(SimPod::name));
        while (!left.isEmpty()) {
            InstanceOffering bestGroup = null;
            NodeFit best = null;
            double bestWaste = Double.MAX_VALUE;
            for (InstanceOffering group : groupsWithAgentLabel(simulator)) {
                NodeFit fit = new NodeFit();
                for (SimPod pod : left) {
                    if (fit.holdsWith(group, pod)) {
                        fit.add(pod);
                    }
                }
                double waste = NodeFit.waste(group, fit.demand());
                if (!fit.pods().isEmpty()
                        && (waste < bestWaste
                                || (waste == bestWaste
                                        && group.pricePerHourMicros() < bestGroup.pricePerHourMicros()))) {
                    bestGroup = group;
                    best = fit;
                    bestWaste = waste;
                }
            }
            if (best == null) {
                return;
            }
            SimNode node = simulator.launch(bestGroup);
            best.pods().forEach(p -> simulator.nominate(p, node));
            left.removeAll(best.pods());
        }
    }

    /** The groups as the simulator sells them (with its node labels), in the order given. */
    private List<InstanceOffering> groupsWithAgentLabel(Simulator simulator) {
        return nodeGroups.stream()
                .map(g -> simulator.offerings().stream()
                        .filter(o -> o.instanceType().equals(g.instanceType())
                                && o.zone().equals(g.zone())
                                && o.capacityType() == g.capacityType())
                        .findFirst()
                        .orElse(g))
                .toList();
    }
}

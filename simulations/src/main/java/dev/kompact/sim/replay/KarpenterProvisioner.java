package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Karpenter's provisioner ({@code pkg/controllers/provisioning/scheduling}): the pending pods, largest first, are
 * packed onto new node claims, each pod joining the first claim that some instance type can still hold with it;
 * every claim is launched as the cheapest instance type that holds all its pods. Pods no instance type holds stay
 * pending.
 */
public final class KarpenterProvisioner implements Provisioner {

    @Override
    public String name() {
        return "karpenter-provisioner";
    }

    @Override
    public void provision(Simulator simulator, List<SimPod> unschedulable) {
        List<InstanceOffering> offerings = simulator.offerings();
        List<SimPod> pods = new ArrayList<>(unschedulable);
        pods.sort(Comparator.comparingLong((SimPod p) -> p.trace().gpus())
                .thenComparingLong(p -> p.trace().cpuMillis())
                .thenComparingLong(p -> p.trace().memoryBytes())
                .reversed()
                .thenComparing(SimPod::name));
        List<NodeFit> claims = new ArrayList<>();
        for (SimPod pod : pods) {
            Optional<NodeFit> claim = claims.stream()
                    .filter(c -> offerings.stream().anyMatch(o -> c.holdsWith(o, pod)))
                    .findFirst();
            if (claim.isPresent()) {
                claim.get().add(pod);
            } else if (offerings.stream().anyMatch(o -> new NodeFit().holdsWith(o, pod))) {
                NodeFit fresh = new NodeFit();
                fresh.add(pod);
                claims.add(fresh);
            }
        }
        for (NodeFit claim : claims) {
            InstanceOffering cheapest = offerings.stream()
                    .filter(o -> NodeFit.holds(o, claim.demand())
                            && claim.pods().stream().allMatch(p -> p.model().acceptsNodeLabels(o.labels())))
                    .min(Comparator.comparingLong(InstanceOffering::pricePerHourMicros)
                            .thenComparingLong(o -> o.allocatable().get(ResourceNames.CPU)))
                    .orElseThrow();
            SimNode node = simulator.launch(cheapest);
            claim.pods().forEach(p -> simulator.nominate(p, node));
        }
    }
}

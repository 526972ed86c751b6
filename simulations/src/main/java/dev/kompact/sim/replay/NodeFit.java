package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pods gathered for one new node, as a provisioner packs them before it knows which node: their summed requests,
 * one pod slot each, and at most one pod of each hostname-spread group (maxSkew 1 on an empty node).
 */
final class NodeFit {

    private static final List<String> RESOURCES =
            List.of(ResourceNames.CPU, ResourceNames.MEMORY, ResourceNames.NVIDIA_GPU, ResourceNames.PODS);

    private final List<SimPod> pods = new ArrayList<>();
    private final Set<String> spreadGroups = new HashSet<>();
    private ResourceList demand = ResourceList.EMPTY;

    List<SimPod> pods() {
        return pods;
    }

    ResourceList demand() {
        return demand;
    }

    boolean mayTake(SimPod pod) {
        return !pod.trace().hostnameSpread()
                || !spreadGroups.contains(pod.trace().group());
    }

    boolean holdsWith(InstanceOffering offering, SimPod pod) {
        return mayTake(pod)
                && pod.model().acceptsNodeLabels(offering.labels())
                && holds(offering, demand.plus(pod.model().requests().with(ResourceNames.PODS, 1)));
    }

    void add(SimPod pod) {
        pods.add(pod);
        demand = demand.plus(pod.model().requests().with(ResourceNames.PODS, 1));
        if (pod.trace().hostnameSpread()) {
            spreadGroups.add(pod.trace().group());
        }
    }

    static boolean holds(InstanceOffering offering, ResourceList demand) {
        for (String resource : RESOURCES) {
            if (demand.get(resource) > offering.allocatable().get(resource)) {
                return false;
            }
        }
        return true;
    }

    /** Mean share of CPU and memory left free on the offering by this demand. */
    static double waste(InstanceOffering offering, ResourceList demand) {
        double cpu = 1
                - (double) demand.get(ResourceNames.CPU)
                        / offering.allocatable().get(ResourceNames.CPU);
        double memory = 1
                - (double) demand.get(ResourceNames.MEMORY)
                        / offering.allocatable().get(ResourceNames.MEMORY);
        return (cpu + memory) / 2;
    }
}

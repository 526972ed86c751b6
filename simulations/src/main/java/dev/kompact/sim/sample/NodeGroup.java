package dev.kompact.sim.sample;

import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Taint;
import java.util.List;

/** An EKS managed node group of the sample: {@code size} nodes, each of one of {@code instanceTypes}. */
record NodeGroup(String name, CapacityType capacityType, List<String> instanceTypes, int size, List<Taint> taints) {}

package dev.kompact.optimizer.domain;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.entity.PlanningPin;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.WeightedPodAffinityTerm;
import java.util.List;

/**
 * Where one pod goes. Starts on the pod's current node (null when pending); pinned pods never leave it. Unassigned
 * is allowed so that a pending pod that fits nowhere stays pending instead of making the plan infeasible.
 */
@PlanningEntity
public class PodPlacement {

    @PlanningId
    private String id;

    private Pod pod;
    private long[] demand;
    private NodeSlot currentNode;
    private Mobility mobility;
    private PlacementRules rules = PlacementRules.NONE;
    private TopologyTerms terms;

    @PlanningPin
    private boolean pinned;

    @PlanningVariable(allowsUnassigned = true)
    private NodeSlot node;

    public PodPlacement() {}

    public PodPlacement(Pod pod, long[] demand, NodeSlot currentNode, Mobility mobility) {
        this.id = pod.key().toString();
        this.pod = pod;
        this.demand = demand;
        this.currentNode = currentNode;
        this.mobility = mobility;
        this.pinned = mobility == Mobility.PINNED && currentNode != null;
        this.node = currentNode;
        this.terms = TopologyTerms.of(pod, rules);
    }

    /** A copy on the given copies of its nodes, for {@link ClusterPlacementCloner}. */
    PodPlacement(PodPlacement other, NodeSlot currentNode, NodeSlot node) {
        this.id = other.id;
        this.pod = other.pod;
        this.demand = other.demand;
        this.mobility = other.mobility;
        this.rules = other.rules;
        this.terms = other.terms;
        this.pinned = other.pinned;
        this.currentNode = currentNode;
        this.node = node;
    }

    public String getId() {
        return id;
    }

    public Pod getPod() {
        return pod;
    }

    public long[] getDemand() {
        return demand;
    }

    public NodeSlot getCurrentNode() {
        return currentNode;
    }

    public Mobility getMobility() {
        return mobility;
    }

    public PlacementRules getRules() {
        return rules;
    }

    public void setRules(PlacementRules rules) {
        this.rules = rules;
        this.terms = TopologyTerms.of(pod, rules);
    }

    public List<SpreadGroup> getSpreadGroups() {
        return rules.spreadGroups();
    }

    public Workload getWorkload() {
        return rules.workload();
    }

    public boolean hasAntiAffinity(String topologyKey) {
        return terms.requiredAntiAffinity().containsKey(topologyKey);
    }

    /** Whether one of this pod's required anti-affinity terms on {@code topologyKey} picks {@code other}. */
    public boolean repels(String topologyKey, PodPlacement other) {
        return terms.requiredAntiAffinity().getOrDefault(topologyKey, List.of()).stream()
                .anyMatch(t -> t.selects(pod, other.pod));
    }

    public List<PodAffinityTerm> requiredAffinity(String topologyKey) {
        return terms.requiredAffinity().getOrDefault(topologyKey, List.of());
    }

    public List<WeightedPodAffinityTerm> preferredAffinity(String topologyKey) {
        return terms.preferredAffinity().getOrDefault(topologyKey, List.of());
    }

    public List<WeightedPodAffinityTerm> preferredAntiAffinity(String topologyKey) {
        return terms.preferredAntiAffinity().getOrDefault(topologyKey, List.of());
    }

    public boolean isPinned() {
        return pinned;
    }

    /** Must stay on its node whatever the plan: pinned, or running under a budget that allows no restart. */
    public boolean isHeld() {
        return pinned || currentNode != null && mobility == Mobility.RESTART && rules.disruptionsAllowed() == 0;
    }

    public NodeSlot getNode() {
        return node;
    }

    public void setNode(NodeSlot node) {
        this.node = node;
    }

    public boolean isMoved() {
        return currentNode != null && node != currentNode;
    }

    /** The scheduler checks selectors, affinity and taints only when it places a pod; staying is always allowed. */
    public boolean isArriving() {
        return node != null && node != currentNode;
    }

    @Override
    public String toString() {
        return id + " -> " + node;
    }
}

package dev.kompact.optimizer.domain;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.valuerange.CountableValueRange;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The planning problem: every placeable pod and the node slots (existing and candidate) it may go to. */
@PlanningSolution(solutionCloner = ClusterPlacementCloner.class)
public class ClusterPlacement {

    @PlanningEntityCollectionProperty
    private List<NodeSlot> nodes;

    private NodeSlotRange nodeRange;

    @PlanningEntityCollectionProperty
    private List<PodPlacement> placements;

    private ResourceIndex resources;

    @PlanningScore
    private HardMediumSoftLongScore score;

    public ClusterPlacement() {}

    public ClusterPlacement(ResourceIndex resources, List<NodeSlot> nodes, List<PodPlacement> placements) {
        this.resources = resources;
        this.nodes = nodes;
        this.placements = placements;
    }

    public List<NodeSlot> getNodes() {
        return nodes;
    }

    @ValueRangeProvider
    public CountableValueRange<NodeSlot> getNodeRange() {
        if (nodeRange == null) {
            nodeRange = new NodeSlotRange(nodes);
        }
        return nodeRange;
    }

    public List<PodPlacement> getPlacements() {
        return placements;
    }

    /** What the plan's nodes cost per hour: those that hold a pod, and existing ones kept whatever they hold. */
    public long costMicros() {
        Set<NodeSlot> used = new HashSet<>();
        placements.stream().filter(p -> p.getNode() != null).forEach(p -> used.add(p.getNode()));
        return nodes.stream()
                .filter(n -> used.contains(n) || n.isKept())
                .mapToLong(NodeSlot::getPricePerHourMicros)
                .sum();
    }

    public ResourceIndex getResources() {
        return resources;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }
}

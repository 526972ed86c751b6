package dev.kompact.optimizer.domain;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.valuerange.CountableValueRange;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import java.util.List;

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

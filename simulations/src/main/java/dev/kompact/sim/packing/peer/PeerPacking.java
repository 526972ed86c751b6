package dev.kompact.sim.packing.peer;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardsoftlong.HardSoftLongScore;
import java.util.List;

/** The peer's whole problem: every pod, the nodes it may go to. */
@PlanningSolution
public class PeerPacking {

    @ProblemFactCollectionProperty
    @ValueRangeProvider
    private List<PeerNode> nodes;

    @PlanningEntityCollectionProperty
    private List<PeerPod> pods;

    @PlanningScore
    private HardSoftLongScore score;

    public PeerPacking() {}

    public PeerPacking(List<PeerNode> nodes, List<PeerPod> pods) {
        this.nodes = nodes;
        this.pods = pods;
    }

    public List<PeerNode> getNodes() {
        return nodes;
    }

    public List<PeerPod> getPods() {
        return pods;
    }

    public HardSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardSoftLongScore score) {
        this.score = score;
    }
}

package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.model.PodKey;
import java.util.List;

/**
 * The optimizer's answer: which nodes to add and remove and which pods to move, with what it saves, ordered into
 * {@code waves} that each leave every pod a place, and the {@code decision} whether it is worth carrying out.
 */
@JsonPropertyOrder({
    "apiVersion",
    "kind",
    "cluster",
    "decision",
    "costBefore",
    "costAfter",
    "savings",
    "lowerBound",
    "utilizationBefore",
    "utilizationAfter",
    "nodesAdded",
    "nodesRemoved",
    "moves",
    "unplacedPods",
    "waves",
    "score",
    "solveMillis",
    "nodes"
})
public record RebalancePlan(
        String apiVersion,
        String kind,
        String cluster,
        Decision decision,
        Cost costBefore,
        Cost costAfter,
        Savings savings,
        LowerBoundEstimate lowerBound,
        Utilization utilizationBefore,
        Utilization utilizationAfter,
        List<AddedNode> nodesAdded,
        List<String> nodesRemoved,
        List<PodMove> moves,
        List<PodKey> unplacedPods,
        List<Wave> waves,
        String score,
        long solveMillis,
        List<NodeChange> nodes) {

    public static final String API_VERSION = "kompact.dev/v1alpha1";
    public static final String KIND = "RebalancePlan";

    public RebalancePlan withDecision(Decision newDecision) {
        return new RebalancePlan(
                apiVersion,
                kind,
                cluster,
                newDecision,
                costBefore,
                costAfter,
                savings,
                lowerBound,
                utilizationBefore,
                utilizationAfter,
                nodesAdded,
                nodesRemoved,
                moves,
                unplacedPods,
                waves,
                score,
                solveMillis,
                nodes);
    }

    /** What the plan saves; {@code percent} of the cost before. */
    public record Savings(Cost cost, double percent) {}
}

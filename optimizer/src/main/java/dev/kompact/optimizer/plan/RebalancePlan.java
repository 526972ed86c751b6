package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The optimizer's answer: which nodes to add and remove and which pods to move, with what it saves. Carried out in
 * that order (add, move, remove), each step leaves every pod a place.
 */
@JsonPropertyOrder({"apiVersion", "kind", "cluster", "costBefore", "costAfter", "savings", "lowerBound",
        "utilizationBefore", "utilizationAfter", "nodesAdded", "nodesRemoved", "moves", "unplacedPods", "score",
        "solveMillis", "nodes"})
public record RebalancePlan(
        String apiVersion,
        String kind,
        String cluster,
        Cost costBefore,
        Cost costAfter,
        Savings savings,
        LowerBoundEstimate lowerBound,
        Utilization utilizationBefore,
        Utilization utilizationAfter,
        List<AddedNode> nodesAdded,
        List<String> nodesRemoved,
        List<PodMove> moves,
        List<String> unplacedPods,
        String score,
        long solveMillis,
        List<NodeChange> nodes) {

    public static final String API_VERSION = "kompact.dev/v1alpha1";
    public static final String KIND = "RebalancePlan";

    /** What the plan saves; {@code percent} of the cost before. */
    public record Savings(Cost cost, double percent) {
    }
}

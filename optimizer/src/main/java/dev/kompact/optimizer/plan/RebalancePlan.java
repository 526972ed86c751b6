package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import java.util.List;

/**
 * The optimizer's answer: which nodes to add and remove and which pods to move, with what it saves, ordered into
 * {@code waves} that each leave every pod a place, and the {@code decision} whether it is worth carrying out.
 * {@code search} says why the search stopped; {@code churnCurve} holds the cheapest plans found within smaller
 * disruption budgets, this plan last.
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
    "search",
    "churnCurve",
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
        List<String> unplacedPods,
        List<Wave> waves,
        String score,
        long solveMillis,
        List<NodeChange> nodes,
        Search search,
        List<ChurnPoint> churnCurve) {

    public static final String API_VERSION = "kompact.dev/v1alpha1";
    public static final String KIND = "RebalancePlan";

    /** A plan as read from before the search reported how it stopped and the churn curve was drawn. */
    public RebalancePlan(
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
            List<String> unplacedPods,
            List<Wave> waves,
            String score,
            long solveMillis,
            List<NodeChange> nodes) {
        this(
                apiVersion,
                kind,
                cluster,
                decision,
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
                nodes,
                null,
                List.of());
    }

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
                nodes,
                search,
                churnCurve);
    }

    public RebalancePlan withSearch(Search newSearch, List<ChurnPoint> newChurnCurve) {
        return new RebalancePlan(
                apiVersion,
                kind,
                cluster,
                decision,
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
                nodes,
                newSearch,
                newChurnCurve);
    }

    /** What the plan saves; {@code percent} of the cost before. */
    public record Savings(Cost cost, double percent) {}
}

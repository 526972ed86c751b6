package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.model.PodKey;
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
        List<PodKey> unplacedPods,
        List<Wave> waves,
        String score,
        long solveMillis,
        List<NodeChange> nodes,
        Search search,
        List<ChurnPoint> churnCurve) {

    public static final String API_VERSION = "kompact.dev/v1alpha1";
    public static final String KIND = "RebalancePlan";

    /** A plan of {@code cluster} that changes nothing, to be filled in. */
    public static Builder builder(String cluster) {
        return new Builder(cluster);
    }

    public Builder toBuilder() {
        return new Builder(cluster)
                .decision(decision)
                .costs(costBefore, costAfter, savings)
                .lowerBound(lowerBound)
                .utilization(utilizationBefore, utilizationAfter)
                .nodesAdded(nodesAdded)
                .nodesRemoved(nodesRemoved)
                .moves(moves)
                .unplacedPods(unplacedPods)
                .waves(waves)
                .score(score)
                .solveMillis(solveMillis)
                .nodes(nodes)
                .search(search)
                .churnCurve(churnCurve);
    }

    public RebalancePlan withDecision(Decision newDecision) {
        return toBuilder().decision(newDecision).build();
    }

    public RebalancePlan withSearch(Search newSearch, List<ChurnPoint> newChurnCurve) {
        return toBuilder().search(newSearch).churnCurve(newChurnCurve).build();
    }

    /** What the plan saves; {@code percent} of the cost before. */
    public record Savings(Cost cost, double percent) {

        /** What a plan saves on a bill of {@code beforeMicros}, its share rounded to hundredths of a percent. */
        public static Savings of(long savedMicros, long beforeMicros) {
            double percent = beforeMicros == 0 ? 0 : Math.round(10_000.0 * savedMicros / beforeMicros) / 100.0;
            return new Savings(Cost.ofMicros(savedMicros), percent);
        }
    }

    /** Names each of a plan's twenty parts, which the record's constructor takes by position only. */
    public static final class Builder {

        private final String cluster;
        private Decision decision;
        private Cost costBefore;
        private Cost costAfter;
        private Savings savings;
        private LowerBoundEstimate lowerBound;
        private Utilization utilizationBefore;
        private Utilization utilizationAfter;
        private List<AddedNode> nodesAdded = List.of();
        private List<String> nodesRemoved = List.of();
        private List<PodMove> moves = List.of();
        private List<PodKey> unplacedPods = List.of();
        private List<Wave> waves = List.of();
        private String score = "";
        private long solveMillis;
        private List<NodeChange> nodes = List.of();
        private Search search;
        private List<ChurnPoint> churnCurve = List.of();

        private Builder(String cluster) {
            this.cluster = cluster;
        }

        public Builder decision(Decision decision) {
            this.decision = decision;
            return this;
        }

        public Builder costs(Cost before, Cost after, Savings savings) {
            this.costBefore = before;
            this.costAfter = after;
            this.savings = savings;
            return this;
        }

        public Builder lowerBound(LowerBoundEstimate lowerBound) {
            this.lowerBound = lowerBound;
            return this;
        }

        public Builder utilization(Utilization before, Utilization after) {
            this.utilizationBefore = before;
            this.utilizationAfter = after;
            return this;
        }

        public Builder nodesAdded(List<AddedNode> nodesAdded) {
            this.nodesAdded = nodesAdded;
            return this;
        }

        public Builder nodesRemoved(List<String> nodesRemoved) {
            this.nodesRemoved = nodesRemoved;
            return this;
        }

        public Builder moves(List<PodMove> moves) {
            this.moves = moves;
            return this;
        }

        public Builder unplacedPods(List<PodKey> unplacedPods) {
            this.unplacedPods = unplacedPods;
            return this;
        }

        public Builder waves(List<Wave> waves) {
            this.waves = waves;
            return this;
        }

        public Builder score(String score) {
            this.score = score;
            return this;
        }

        public Builder solveMillis(long solveMillis) {
            this.solveMillis = solveMillis;
            return this;
        }

        public Builder nodes(List<NodeChange> nodes) {
            this.nodes = nodes;
            return this;
        }

        public Builder search(Search search) {
            this.search = search;
            return this;
        }

        public Builder churnCurve(List<ChurnPoint> churnCurve) {
            this.churnCurve = churnCurve;
            return this;
        }

        public RebalancePlan build() {
            return new RebalancePlan(
                    API_VERSION,
                    KIND,
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
                    search,
                    churnCurve);
        }
    }
}

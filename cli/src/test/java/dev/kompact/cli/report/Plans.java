package dev.kompact.cli.report;

import dev.kompact.optimizer.bound.LowerBoundEstimate;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.plan.AddedNode;
import dev.kompact.optimizer.plan.Cost;
import dev.kompact.optimizer.plan.Decision;
import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.NodeChange.Status;
import dev.kompact.optimizer.plan.PodMove;
import dev.kompact.optimizer.plan.RebalancePlan;
import dev.kompact.optimizer.plan.Utilization;
import java.math.BigDecimal;
import java.util.List;

/** Hand-made plans for the report tests. */
final class Plans {

    private static final BigDecimal ON_DEMAND = new BigDecimal("0.192");
    private static final BigDecimal SPOT = new BigDecimal("0.1536");

    private Plans() {}

    /**
     * Five m6i.xlarge on demand at $0.192/h ($0.96/h); the plan keeps two, removes three and adds one m6i.2xlarge
     * spot at $0.1536/h ($0.5376/h): $0.4224/h saved, 44%. The bound is $0.48/h, 12% below the plan.
     */
    static RebalancePlan threeOfFiveRemovedOneAdded() {
        List<NodeChange> nodes = List.of(
                kept("node-a", 0.50, 0.40, 0.85, 0.70),
                kept("node-b", 0.30, 0.35, 0.80, 0.75),
                removed("node-c", 0.20, 0.25),
                removed("node-d", 0.10, 0.15),
                removed("node-e", 0.05, 0.10),
                new NodeChange(
                        "kompact-new-0",
                        "m6i.2xlarge",
                        "us-east-1a",
                        "spot",
                        SPOT,
                        Status.ADDED,
                        null,
                        new Utilization(0.55, 0.40)));
        List<PodMove> moves = List.of(
                new PodMove(PodKey.parse("shop/cart-0"), "node-c", "node-a", Mobility.LIVE),
                new PodMove(PodKey.parse("shop/web-1"), "node-c", "kompact-new-0", Mobility.RESTART),
                new PodMove(PodKey.parse("shop/web-2"), "node-d", "kompact-new-0", Mobility.RESTART),
                new PodMove(PodKey.parse("batch/report-7"), "node-e", "node-b", Mobility.LIVE),
                new PodMove(PodKey.parse("batch/queued-1"), null, "kompact-new-0", Mobility.RESTART));
        return RebalancePlan.builder("sample")
                .decision(PROPOSED)
                .costs(
                        Cost.ofMicros(960_000),
                        Cost.ofMicros(537_600),
                        new RebalancePlan.Savings(Cost.ofMicros(422_400), 44.0))
                .lowerBound(new LowerBoundEstimate(Cost.ofMicros(480_000), 0.12, "cpu"))
                .utilization(new Utilization(0.23, 0.25), new Utilization(0.70, 0.62))
                .nodesAdded(List.of(new AddedNode(
                        "kompact-new-0", "m6i.2xlarge", "us-east-1a", CapacityType.SPOT, SPOT, List.of())))
                .nodesRemoved(List.of("node-c", "node-d", "node-e"))
                .moves(moves)
                .unplacedPods(List.of(PodKey.parse("ml/huge-job")))
                .score("0hard/-1medium/-537600soft")
                .solveMillis(12_300)
                .nodes(nodes)
                .build();
    }

    static final Decision PROPOSED = new Decision(true, List.of());

    /** Two nodes, both kept, nothing moved. */
    static RebalancePlan unchanged() {
        List<NodeChange> nodes = List.of(kept("node-a", 0.6, 0.5, 0.6, 0.5), kept("node-b", 0.7, 0.4, 0.7, 0.4));
        return RebalancePlan.builder("steady")
                .decision(new Decision(false, List.of("nothing to change: no cheaper valid placement was found")))
                .costs(Cost.ofMicros(384_000), Cost.ofMicros(384_000), new RebalancePlan.Savings(Cost.ofMicros(0), 0))
                .lowerBound(new LowerBoundEstimate(Cost.ofMicros(384_000), 0, "pinned nodes"))
                .utilization(new Utilization(0.65, 0.45), new Utilization(0.65, 0.45))
                .score("0hard/0medium/-384000soft")
                .solveMillis(850)
                .nodes(nodes)
                .build();
    }

    /** The five-node plan with the given names for an added node and a moved pod. */
    static RebalancePlan withNames(String nodeName, String podName) {
        RebalancePlan plan = threeOfFiveRemovedOneAdded();
        List<NodeChange> nodes = List.of(
                kept("node-a", 0.5, 0.4, 0.8, 0.7),
                new NodeChange(
                        nodeName,
                        "m6i.2xlarge",
                        "us-east-1a",
                        "spot",
                        SPOT,
                        Status.ADDED,
                        null,
                        new Utilization(0.5, 0.4)));
        return RebalancePlan.builder(nodeName)
                .decision(plan.decision())
                .costs(plan.costBefore(), plan.costAfter(), plan.savings())
                .lowerBound(plan.lowerBound())
                .utilization(plan.utilizationBefore(), plan.utilizationAfter())
                .nodesAdded(List.of(
                        new AddedNode(nodeName, "m6i.2xlarge", "us-east-1a", CapacityType.SPOT, SPOT, List.of())))
                .moves(List.of(new PodMove(hostileKey(podName), "node-a", nodeName, Mobility.LIVE)))
                .unplacedPods(List.of(hostileKey(podName)))
                .score(plan.score())
                .solveMillis(plan.solveMillis())
                .nodes(nodes)
                .build();
    }

    /** The five-node plan with other pods left unplaced. */
    static RebalancePlan withUnplacedPods(List<String> pods) {
        RebalancePlan plan = threeOfFiveRemovedOneAdded();
        return plan.toBuilder()
                .unplacedPods(pods.stream().map(PodKey::parse).toList())
                .build();
    }

    private static NodeChange kept(
            String name, double cpuBefore, double memoryBefore, double cpuAfter, double memoryAfter) {
        return new NodeChange(
                name,
                "m6i.xlarge",
                "us-east-1b",
                "on-demand",
                ON_DEMAND,
                Status.KEPT,
                new Utilization(cpuBefore, memoryBefore),
                new Utilization(cpuAfter, memoryAfter));
    }

    private static NodeChange removed(String name, double cpu, double memory) {
        return new NodeChange(
                name,
                "m6i.xlarge",
                "us-east-1b",
                "on-demand",
                ON_DEMAND,
                Status.REMOVED,
                new Utilization(cpu, memory),
                null);
    }

    /** A key split at its first slash only, so that a test can give a pod a name no API server would accept. */
    private static PodKey hostileKey(String text) {
        int slash = text.indexOf('/');
        return new PodKey(text.substring(0, slash), text.substring(slash + 1));
    }
}

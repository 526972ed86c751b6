package dev.kompact.cli.report;

import dev.kompact.optimizer.catalog.AwsRegion;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.plan.NodeChange;
import dev.kompact.optimizer.plan.PodMove;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What could go wrong after the plan, each as one line a platform engineer can check. */
final class RiskSection {

    /** Above this share of CPU or memory requested a node has no room for a surge or a rescheduled pod. */
    private static final double TIGHT = 0.95;

    private static final String NODE_GROUP = "eks.amazonaws.com/nodegroup";

    private final PlannedCluster cluster;
    private final String pricesRegion;

    /** @param pricesRegion the region of the catalogue the plan was priced from */
    RiskSection(PlannedCluster cluster, String pricesRegion) {
        this.cluster = cluster;
        this.pricesRegion = pricesRegion;
    }

    List<String> risks() {
        List<String> risks = new ArrayList<>();
        List<NodeChange> after = cluster.plan.nodes().stream()
                .filter(n -> n.status() != NodeChange.Status.REMOVED)
                .toList();
        List<String> tight = after.stream()
                .filter(n ->
                        n.after() != null && Math.max(n.after().cpu(), n.after().memory()) > TIGHT)
                .map(n -> n.name() + " (CPU " + Figures.share(n.after().cpu()) + ", memory "
                        + Figures.share(n.after().memory()) + ")")
                .toList();
        risks.add(tight.size() + " of " + after.size() + " nodes end above " + Figures.share(TIGHT)
                + " of CPU or memory requested" + listed(tight));
        List<String> burstable = after.stream()
                .filter(n -> n.instanceType() != null && n.instanceType().startsWith("t"))
                .map(n -> n.name() + " (" + n.instanceType() + ")")
                .toList();
        if (!burstable.isEmpty()) {
            risks.add(burstable.size() + " burstable nodes after the plan: CPU beyond their baseline spends credits"
                    + listed(burstable));
        }
        risks.add("spot: " + spotShare(cluster.plan.nodes(), true) + " of nodes before, " + spotShare(after, false)
                + " after");
        risks.add("nodes per zone before " + zones(cluster.plan.nodes(), true) + ", after " + zones(after, false));
        cluster.snapshot.ifPresent(snapshot -> fromSnapshot(risks, snapshot.pods(), snapshot.nodes()));
        return risks;
    }

    private void fromSnapshot(List<String> risks, List<Pod> pods, List<Node> nodes) {
        Map<String, Long> replicas = pods.stream()
                .filter(p -> p.owner() != null)
                .collect(Collectors.groupingBy(p -> cluster.workload(p.key()), Collectors.counting()));
        List<String> stateful = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (PodMove move : cluster.plan.moves()) {
            Pod pod = cluster.pods.get(move.pod());
            if (pod == null || move.from() == null) {
                continue;
            }
            if (pod.owner() != null && pod.owner().kind().equals("StatefulSet")) {
                stateful.add(move.pod().toString());
            }
            if (pod.owner() == null || replicas.getOrDefault(cluster.workload(pod.key()), 0L) == 1) {
                single.add(move.pod().toString());
            }
        }
        risks.add(stateful.size() + " StatefulSet pods move (each is down until it restarts elsewhere)"
                + listed(stateful));
        risks.add(single.size() + " moved pods are their workload's only replica (down while they restart)"
                + listed(single));
        List<String> noRequests = pods.stream()
                .filter(p ->
                        p.requests().get(ResourceNames.CPU) == 0 && p.requests().get(ResourceNames.MEMORY) == 0)
                .map(p -> p.key().toString())
                .toList();
        risks.add(noRequests.size() + " pods request no CPU or memory and are counted as using nothing"
                + listed(noRequests));
        List<String> otherRegion = nodes.stream()
                .filter(n -> AwsRegion.of(n.labels(), n.zone())
                        .map(r -> !r.equals(pricesRegion))
                        .orElse(true))
                .map(n -> n.name() + " (" + AwsRegion.of(n.labels(), n.zone()).orElse("unknown region") + ")")
                .toList();
        if (!otherRegion.isEmpty()) {
            risks.add(otherRegion.size() + " nodes are outside " + pricesRegion
                    + ", the price catalogue's region: priced at its rates unless the snapshot gives pricePerHour"
                    + " ('kompact prices --region' writes a region's catalogue for --prices)" + listed(otherRegion));
        }
        Map<String, Long> groups = nodes.stream()
                .filter(n -> n.labels().containsKey(NODE_GROUP) && cluster.removed(n.name()))
                .collect(Collectors.groupingBy(n -> n.labels().get(NODE_GROUP), TreeMap::new, Collectors.counting()));
        if (!groups.isEmpty()) {
            risks.add("removed nodes in EKS node groups " + groups
                    + ": a group whose minimum size is above what remains will launch them again");
        }
    }

    private static String spotShare(List<NodeChange> nodes, boolean before) {
        List<NodeChange> present =
                nodes.stream().filter(n -> before ? n.before() != null : true).toList();
        long spot =
                present.stream().filter(n -> "spot".equals(n.capacityType())).count();
        return present.isEmpty() ? "0%" : Figures.share((double) spot / present.size());
    }

    private static String zones(List<NodeChange> nodes, boolean before) {
        Map<String, Long> zones = nodes.stream()
                .filter(n -> !before || n.before() != null)
                .collect(Collectors.groupingBy(NodeChange::zone, TreeMap::new, Collectors.counting()));
        return zones.toString();
    }

    private static String listed(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        int shown = Math.min(items.size(), 5);
        return ": " + String.join(", ", items.subList(0, shown))
                + (items.size() > shown ? " and " + (items.size() - shown) + " more" : "");
    }
}

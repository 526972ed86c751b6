package dev.kompact.executor.snapshot;

import dev.kompact.optimizer.catalog.AwsRegion;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one line a conversion prints on stderr: what was found, and what the report will take on trust (pods without
 * requests count as using nothing; nodes the bundled catalogue cannot price, or prices only for another region).
 */
public final class ConversionSummary {

    private ConversionSummary() {}

    public static String of(SnapshotDocument document) {
        List<String> parts = new ArrayList<>();
        parts.add(count(document.nodes().size(), "node") + ", "
                + count(document.pods().size(), "pod") + ", "
                + count(
                        document.podDisruptionBudgets() == null
                                ? 0
                                : document.podDisruptionBudgets().size(),
                        "PodDisruptionBudget"));
        long withoutRequests = document.pods().stream()
                .filter(p -> p.requests() == null || p.requests().isEmpty())
                .count();
        if (withoutRequests > 0) {
            parts.add(count(withoutRequests, "pod") + " without requests (counted as using nothing)");
        }
        Map<String, List<String>> otherRegions = new TreeMap<>();
        List<String> unpriced = new ArrayList<>();
        for (NodeDocument node : document.nodes()) {
            if (node.pricePerHour() == null) {
                unpriced.add(node.name()
                        + (node.instanceType() == null
                                ? " (no instance-type label)"
                                : " (" + node.instanceType() + ")"));
                continue;
            }
            AwsRegion.of(node.labels(), node.zone())
                    .filter(region -> !region.equals(InstanceCatalog.BUNDLED_REGION))
                    .ifPresent(region -> otherRegions
                            .computeIfAbsent(region, r -> new ArrayList<>())
                            .add(node.name()));
        }
        otherRegions.forEach((region, nodes) -> parts.add(count(nodes.size(), "node") + " in " + region
                + " priced at " + InstanceCatalog.BUNDLED_REGION + " rates, the only region the bundled catalogue has ("
                + String.join(", ", nodes) + ")"));
        if (!unpriced.isEmpty()) {
            parts.add(count(unpriced.size(), "node") + " without a known price, give pricePerHour in the snapshot ("
                    + String.join(", ", unpriced) + ")");
        }
        return String.join("; ", parts);
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

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
 * requests count as using nothing; nodes the catalogue cannot price, or the bundled one prices only for another
 * region).
 */
public final class ConversionSummary {

    private ConversionSummary() {}

    /** @param catalog what the conversion priced the nodes from */
    public static String of(SnapshotDocument document, InstanceCatalog catalog) {
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
                    .filter(region -> !region.equals(catalog.region()))
                    .ifPresent(region -> otherRegions
                            .computeIfAbsent(region, r -> new ArrayList<>())
                            .add(node.name()));
        }
        otherRegions.forEach((region, nodes) -> parts.add(count(nodes.size(), "node") + " in " + region
                + " priced at " + catalog.region() + " rates, the catalogue's region; 'kompact prices --region "
                + region + "' writes " + region + "'s for --prices (" + String.join(", ", nodes) + ")"));
        if (!unpriced.isEmpty()) {
            parts.add(count(unpriced.size(), "node") + " without a known " + catalog.region()
                    + " price, give pricePerHour in the snapshot ("
                    + String.join(", ", unpriced) + ")");
        }
        return String.join("; ", parts);
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}

package dev.kompact.optimizer.snapshot;

import static dev.kompact.optimizer.snapshot.DocumentChecks.orEmpty;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.OfferingDocument;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/** Turns node and offering documents into the model; prices come from the document or else the catalogue. */
final class NodeValidator {

    private final InstanceCatalog catalog;
    private final DocumentChecks checks;

    NodeValidator(InstanceCatalog catalog, DocumentChecks checks) {
        this.catalog = catalog;
        this.checks = checks;
    }

    Node node(String path, NodeDocument doc) {
        String name = checks.required(path + ".name", doc.name());
        String zone = checks.required(path + ".zone", doc.zone());
        CapacityType capacityType = capacityType(path + ".capacityType", doc.capacityType());
        long price = price(path, doc.pricePerHour(), doc.instanceType(), capacityType);
        ResourceList allocatable = checks.resources(path + ".allocatable", doc.allocatable());
        if (doc.allocatable() == null || doc.allocatable().isEmpty()) {
            checks.problem(path + ".allocatable", "missing: a node needs at least cpu, memory and pods");
        }
        Map<String, String> labels = new TreeMap<>(orEmpty(doc.labels()));
        if (name != null) {
            labels.putIfAbsent(WellKnownLabels.HOSTNAME, name);
        }
        if (zone != null) {
            labels.putIfAbsent(WellKnownLabels.ZONE, zone);
        }
        if (doc.instanceType() != null) {
            labels.putIfAbsent(WellKnownLabels.INSTANCE_TYPE, doc.instanceType());
        }
        if (capacityType != null) {
            labels.putIfAbsent(WellKnownLabels.CAPACITY_TYPE, capacityType.label());
        }
        List<Taint> taints = checks.eachOf(
                path + ".taints",
                doc.taints(),
                (p, t) -> new Taint(
                        checks.required(p + ".key", t.key()),
                        t.value(),
                        checks.enumValue(p + ".effect", t.effect(), TaintEffect.class)));
        return new Node(
                name,
                doc.instanceType(),
                zone,
                capacityType,
                price,
                labels,
                orEmpty(doc.annotations()),
                taints,
                allocatable,
                Boolean.TRUE.equals(doc.unschedulable()));
    }

    InstanceOffering offering(String path, OfferingDocument doc) {
        String type = checks.required(path + ".instanceType", doc.instanceType());
        String zone = checks.required(path + ".zone", doc.zone());
        CapacityType capacityType = capacityType(path + ".capacityType", doc.capacityType());
        long price = price(path, doc.pricePerHour(), type, capacityType);
        Optional<InstanceType> known = type == null ? Optional.empty() : catalog.type(type);
        ResourceList allocatable;
        if (doc.allocatable() != null && !doc.allocatable().isEmpty()) {
            allocatable = checks.resources(path + ".allocatable", doc.allocatable());
        } else if (known.isPresent()) {
            allocatable = known.get().allocatable();
        } else {
            checks.problem(path + ".allocatable", "missing, and \"" + type + "\" is not in the catalogue");
            allocatable = ResourceList.EMPTY;
        }
        Map<String, String> labels = new TreeMap<>();
        if (known.isPresent() && zone != null && capacityType != null) {
            labels.putAll(InstanceCatalog.labels(known.get(), zone, capacityType));
        }
        labels.putAll(orEmpty(doc.labels()));
        if (type != null) {
            labels.putIfAbsent(WellKnownLabels.INSTANCE_TYPE, type);
        }
        if (zone != null) {
            labels.putIfAbsent(WellKnownLabels.ZONE, zone);
        }
        if (capacityType != null) {
            labels.putIfAbsent(WellKnownLabels.CAPACITY_TYPE, capacityType.label());
        }
        labels.putIfAbsent(WellKnownLabels.ARCH, "amd64");
        labels.putIfAbsent(WellKnownLabels.OS, "linux");
        return new InstanceOffering(type, zone, capacityType, price, allocatable, labels);
    }

    private long price(String path, BigDecimal pricePerHour, String instanceType, CapacityType capacityType) {
        if (pricePerHour != null) {
            return checks.price(path + ".pricePerHour", pricePerHour);
        }
        if (instanceType == null) {
            checks.problem(path + ".pricePerHour", "missing, and no instanceType to look the price up by");
            return 0;
        }
        if (capacityType == null) {
            // the capacity type is already named as the problem; a price cannot be looked up without it
            return 0;
        }
        OptionalLong price = catalog.price(instanceType, capacityType);
        if (price.isEmpty()) {
            checks.problem(
                    path + ".pricePerHour",
                    "missing, and the catalogue has no " + capacityType.label() + " price for instance type \""
                            + instanceType + "\"");
            return 0;
        }
        return checks.priceWithinReason(path + ".pricePerHour", price.getAsLong()) ? price.getAsLong() : 0;
    }

    private CapacityType capacityType(String path, String text) {
        if (text == null) {
            return CapacityType.ON_DEMAND;
        }
        Optional<CapacityType> capacityType = CapacityType.fromLabel(text);
        if (capacityType.isEmpty()) {
            checks.problem(path, "\"" + text + "\" is not a capacity type (on-demand or spot)");
        }
        return capacityType.orElse(null);
    }

    /**
     * The catalogue in the cluster's zones, for the architectures its nodes run: images built for one architecture
     * would not start on another, so a plan keeps to what the cluster already runs (amd64 when no node says).
     */
    List<InstanceOffering> catalogOfferings(List<Node> nodes) {
        Set<String> zones = new LinkedHashSet<>();
        Set<String> arches = new HashSet<>();
        for (Node node : nodes) {
            if (node != null && node.zone() != null) {
                zones.add(node.zone());
                arches.add(node.labels().getOrDefault(WellKnownLabels.ARCH, "amd64"));
            }
        }
        if (arches.isEmpty()) {
            arches.add("amd64");
        }
        // a live catalogue is as external as the document: its prices meet the same ceiling
        return catalog.offerings(zones).stream()
                .filter(o -> arches.contains(o.labels().get(WellKnownLabels.ARCH)))
                .filter(o -> checks.priceWithinReason(
                        "offerings (catalogue: " + o.instanceType() + " "
                                + o.capacityType().label() + " in " + o.zone() + ")",
                        o.pricePerHourMicros()))
                .toList();
    }
}

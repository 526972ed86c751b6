package dev.kompact.sim.sample;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.Quantity;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.SelectorRequirement;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.AffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.LabelSelectorDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeAffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeSelectorDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeSelectorTermDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.ObjectMeta;
import dev.kompact.optimizer.snapshot.SnapshotDocument.OwnerDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PdbSpec;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PdbStatus;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDisruptionBudgetDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.RequirementDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TaintDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TolerationDocument;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a snapshot of the model as the {@code ClusterSnapshot} JSON document. The output is stable byte for byte:
 * map keys in sorted order, two-space indents, "\n" line ends on every platform. A node's price is written only
 * where it differs from the catalogue's, which the reader would otherwise look up; offerings are left out so that
 * the reader offers the whole catalogue.
 */
final class SnapshotWriter {

    private final InstanceCatalog catalog;

    SnapshotWriter(InstanceCatalog catalog) {
        this.catalog = catalog;
    }

    String json(ClusterSnapshot snapshot) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        JsonMapper mapper = JsonMapper.builder()
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
        try {
            return mapper.writer(printer).writeValueAsString(document(snapshot)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write snapshot " + snapshot.name(), e);
        }
    }

    private SnapshotDocument document(ClusterSnapshot snapshot) {
        return new SnapshotDocument(
                SnapshotDocument.API_VERSION,
                SnapshotDocument.KIND,
                new SnapshotDocument.Metadata(snapshot.name(), null, null),
                snapshot.nodes().stream().map(this::node).toList(),
                snapshot.pods().stream().map(SnapshotWriter::pod).toList(),
                snapshot.podDisruptionBudgets().stream()
                        .map(SnapshotWriter::budget)
                        .toList(),
                null);
    }

    private NodeDocument node(Node node) {
        boolean priceFromCatalogue =
                catalog.price(node.instanceType(), node.capacityType()).orElse(-1) == node.pricePerHourMicros();
        BigDecimal price = priceFromCatalogue ? null : Money.dollars(node.pricePerHourMicros());
        return new NodeDocument(
                node.name(),
                node.instanceType(),
                node.zone(),
                node.capacityType().label(),
                price,
                sorted(node.labels()),
                sorted(node.annotations()),
                node.taints().stream().map(SnapshotWriter::taint).toList(),
                quantities(node.allocatable()),
                node.unschedulable() ? Boolean.TRUE : null);
    }

    private static TaintDocument taint(Taint taint) {
        return new TaintDocument(taint.key(), taint.value(), taint.effect().name());
    }

    private static PodDocument pod(Pod pod) {
        OwnerDocument owner = pod.owner() == null
                ? null
                : new OwnerDocument(pod.owner().kind(), pod.owner().name());
        AffinityDocument affinity = pod.requiredNodeAffinity().isEmpty()
                ? null
                : new AffinityDocument(
                        new NodeAffinityDocument(new NodeSelectorDocument(pod.requiredNodeAffinity().stream()
                                .map(SnapshotWriter::term)
                                .toList())));
        return new PodDocument(
                pod.namespace(),
                pod.name(),
                pod.nodeName(),
                owner,
                quantities(pod.requests()),
                quantities(pod.usage()),
                pod.priority() == 0 ? null : pod.priority(),
                sorted(pod.labels()),
                sorted(pod.annotations()),
                sorted(pod.nodeSelector()),
                affinity,
                pod.tolerations().stream().map(SnapshotWriter::toleration).toList());
    }

    private static NodeSelectorTermDocument term(NodeSelectorTerm term) {
        return new NodeSelectorTermDocument(term.matchExpressions().stream()
                .map(SnapshotWriter::requirement)
                .toList());
    }

    private static RequirementDocument requirement(SelectorRequirement requirement) {
        return new RequirementDocument(requirement.key(), requirement.operator().name(), requirement.values());
    }

    private static TolerationDocument toleration(Toleration toleration) {
        return new TolerationDocument(
                toleration.key(),
                toleration.operator().name(),
                toleration.value(),
                toleration.effect() == null ? null : toleration.effect().name(),
                null);
    }

    private static PodDisruptionBudgetDocument budget(PodDisruptionBudget budget) {
        return new PodDisruptionBudgetDocument(
                new ObjectMeta(budget.namespace(), budget.name()),
                new PdbSpec(
                        new LabelSelectorDocument(sorted(budget.selector().matchLabels()), List.of()),
                        budget.minAvailable(),
                        budget.maxUnavailable()),
                new PdbStatus(budget.disruptionsAllowed()));
    }

    private static Map<String, String> quantities(ResourceList resources) {
        Map<String, String> text = new TreeMap<>();
        resources.amounts().forEach((resource, amount) -> text.put(resource, Quantity.format(resource, amount)));
        return text;
    }

    private static Map<String, String> sorted(Map<String, String> map) {
        return new TreeMap<>(map);
    }
}

package dev.kompact.executor.snapshot;

import dev.kompact.executor.cluster.IntOrStrings;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.AffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.LabelSelectorDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeAffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeSelectorDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeSelectorTermDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.OwnerDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDisruptionBudgetDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.RequirementDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TaintDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TolerationDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.VolumeDocument;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Kubernetes objects as a {@link SnapshotDocument}: what {@code kubectl get -o json} and the informers hold, in
 * the shape the optimizer reads. Node prices come from the catalogue by instance type and capacity type, else from
 * the bundled one ({@link NodePrices}); a node neither prices is left unpriced, and is then named as a problem.
 */
public final class SnapshotDocuments {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final NodePrices prices;

    public SnapshotDocuments(InstanceCatalog catalog) {
        this.prices = new NodePrices(catalog);
    }

    /**
     * @param usage observed usage by pod, as {@link PodUsage} reads it; pods without
     *     an entry have none
     */
    public SnapshotDocument of(
            String clusterName,
            Collection<Node> nodes,
            Collection<Pod> pods,
            Collection<PodDisruptionBudget> budgets,
            VolumeZones volumeZones,
            Map<PodKey, Map<String, BigDecimal>> usage) {
        Map<String, String> nodeZones = new HashMap<>();
        nodes.forEach(n -> NodePrices.zone(n)
                .ifPresent(zone -> nodeZones.put(n.getMetadata().getName(), zone)));
        Set<String> nodeNames =
                nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        return new SnapshotDocument(
                SnapshotDocument.API_VERSION,
                SnapshotDocument.KIND,
                new SnapshotDocument.Metadata(clusterName, null, Instant.now().toString()),
                nodes.stream().map(this::node).toList(),
                pods.stream()
                        .filter(p -> !Pods.isFinished(p))
                        // bound to a node that is gone (its pods wait for Kubernetes' pod GC, e.g. right after
                        // Kompact terminated it): they hold nothing anywhere, and would make the snapshot invalid
                        .filter(p -> p.getSpec().getNodeName() == null
                                || nodeNames.contains(p.getSpec().getNodeName()))
                        .map(p -> pod(
                                p,
                                volumeZones.zoneOf(p, nodeZones.get(p.getSpec().getNodeName())),
                                usage.getOrDefault(Pods.key(p), Map.of())))
                        .toList(),
                budgets.stream().map(SnapshotDocuments::budget).toList(),
                null);
    }

    private NodeDocument node(Node node) {
        Optional<CapacityType> capacityType = NodePrices.capacityType(node);
        OptionalLong price = prices.priceMicros(node);
        var spec = node.getSpec();
        List<TaintDocument> taints = spec == null || spec.getTaints() == null
                ? List.of()
                : spec.getTaints().stream()
                        .map(t -> new TaintDocument(t.getKey(), t.getValue(), t.getEffect()))
                        .toList();
        Map<String, String> allocatable = node.getStatus() == null
                ? Map.of()
                : quantities(node.getStatus().getAllocatable());
        return new NodeDocument(
                node.getMetadata().getName(),
                NodePrices.instanceType(node).orElse(null),
                NodePrices.zone(node).orElse(null),
                capacityType.map(CapacityType::label).orElse(null),
                price.isPresent() ? Money.dollars(price.getAsLong()) : null,
                orEmpty(node.getMetadata().getLabels()),
                orEmpty(node.getMetadata().getAnnotations()),
                taints,
                allocatable,
                spec != null && Boolean.TRUE.equals(spec.getUnschedulable()) ? Boolean.TRUE : null);
    }

    private static PodDocument pod(Pod pod, String volumeZone, Map<String, BigDecimal> usage) {
        PodSpec spec = pod.getSpec();
        OwnerDocument owner = Pods.controller(pod)
                .map(o -> new OwnerDocument(o.getKind(), o.getName()))
                .orElse(null);
        return new PodDocument(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                spec.getNodeName(),
                owner,
                requests(spec),
                formatted(usage),
                spec.getPriority(),
                orEmpty(pod.getMetadata().getLabels()),
                orEmpty(pod.getMetadata().getAnnotations()),
                orEmpty(spec.getNodeSelector()),
                affinity(spec),
                spec.getTolerations() == null
                        ? List.of()
                        : spec.getTolerations().stream()
                                .map(t -> new TolerationDocument(
                                        t.getKey(),
                                        t.getOperator(),
                                        t.getValue(),
                                        t.getEffect(),
                                        t.getTolerationSeconds()))
                                .toList(),
                null,
                volumes(spec),
                volumeZone);
    }

    /**
     * Local storage (its data stays behind) and claims (their volumes may hold the pod to a zone) decide whether and
     * where a pod may move; configMaps, secrets and the like are rebuilt wherever it lands, so they are left out.
     */
    private static List<VolumeDocument> volumes(PodSpec spec) {
        return orEmpty(spec.getVolumes()).stream()
                .filter(v -> v.getEmptyDir() != null || v.getHostPath() != null || v.getPersistentVolumeClaim() != null)
                .map(SnapshotDocuments::volume)
                .toList();
    }

    private static VolumeDocument volume(Volume v) {
        return new VolumeDocument(
                v.getName(), source(v.getEmptyDir()), source(v.getHostPath()), source(v.getPersistentVolumeClaim()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(Object source) {
        return source == null ? null : SERIALIZATION.convertValue(source, Map.class);
    }

    /**
     * What the scheduler reserves for a pod: the larger of the containers' sum and the largest init container, per
     * resource, plus the pod overhead.
     */
    private static Map<String, String> requests(PodSpec spec) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (Container c : orEmpty(spec.getContainers())) {
            containerRequests(c).forEach((name, amount) -> sum.merge(name, amount, BigDecimal::add));
        }
        for (Container c : orEmpty(spec.getInitContainers())) {
            containerRequests(c).forEach((name, amount) -> sum.merge(name, amount, BigDecimal::max));
        }
        if (spec.getOverhead() != null) {
            spec.getOverhead().forEach((name, q) -> sum.merge(name, q.getNumericalAmount(), BigDecimal::add));
        }
        return formatted(sum);
    }

    private static Map<String, String> formatted(Map<String, BigDecimal> amounts) {
        Map<String, String> text = new TreeMap<>();
        amounts.forEach((name, amount) -> text.put(name, format(name, amount)));
        return text;
    }

    private static Map<String, BigDecimal> containerRequests(Container container) {
        Map<String, BigDecimal> amounts = new TreeMap<>();
        if (container.getResources() != null && container.getResources().getRequests() != null) {
            container.getResources().getRequests().forEach((name, q) -> amounts.put(name, q.getNumericalAmount()));
        }
        return amounts;
    }

    /** CPU as millicores, everything else as whole units: exact, and what the snapshot reader expects. */
    private static String format(String resource, BigDecimal amount) {
        if (ResourceNames.CPU.equals(resource)) {
            return amount.movePointRight(3)
                            .setScale(0, java.math.RoundingMode.CEILING)
                            .toPlainString() + "m";
        }
        return amount.setScale(0, java.math.RoundingMode.CEILING).toPlainString();
    }

    private static AffinityDocument affinity(PodSpec spec) {
        if (spec.getAffinity() == null
                || spec.getAffinity().getNodeAffinity() == null
                || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        NodeSelector required =
                spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        return new AffinityDocument(new NodeAffinityDocument(new NodeSelectorDocument(
                orEmpty(required.getNodeSelectorTerms()).stream()
                        .map(term -> new NodeSelectorTermDocument(orEmpty(term.getMatchExpressions()).stream()
                                .map(SnapshotDocuments::requirement)
                                .toList()))
                        .toList())));
    }

    private static RequirementDocument requirement(NodeSelectorRequirement r) {
        return new RequirementDocument(r.getKey(), r.getOperator(), r.getValues());
    }

    private static PodDisruptionBudgetDocument budget(PodDisruptionBudget pdb) {
        LabelSelector selector = pdb.getSpec().getSelector();
        LabelSelectorDocument selectorDocument = selector == null
                ? null
                : new LabelSelectorDocument(
                        orEmpty(selector.getMatchLabels()),
                        orEmpty(selector.getMatchExpressions()).stream()
                                .map(SnapshotDocuments::requirement)
                                .toList());
        Integer allowed = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptionsAllowed();
        return new PodDisruptionBudgetDocument(
                new SnapshotDocument.ObjectMeta(
                        pdb.getMetadata().getNamespace(), pdb.getMetadata().getName()),
                new SnapshotDocument.PdbSpec(
                        selectorDocument,
                        IntOrStrings.text(pdb.getSpec().getMinAvailable()),
                        IntOrStrings.text(pdb.getSpec().getMaxUnavailable())),
                new SnapshotDocument.PdbStatus(allowed));
    }

    private static RequirementDocument requirement(LabelSelectorRequirement r) {
        return new RequirementDocument(r.getKey(), r.getOperator(), r.getValues());
    }

    private static Map<String, String> quantities(Map<String, Quantity> quantities) {
        Map<String, String> text = new TreeMap<>();
        if (quantities != null) {
            quantities.forEach((name, q) -> text.put(name, q.toString()));
        }
        return text;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

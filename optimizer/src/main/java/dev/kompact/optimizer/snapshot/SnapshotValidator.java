package dev.kompact.optimizer.snapshot;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.PreferredNodeTerm;
import dev.kompact.optimizer.model.Quantity;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.SelectorRequirement;
import dev.kompact.optimizer.model.Taint;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.Volume;
import dev.kompact.optimizer.model.WeightedPodAffinityTerm;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.snapshot.SnapshotDocument.AffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.LabelSelectorDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeAffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeSelectorTermDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.OfferingDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodAffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodAffinityTermDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDisruptionBudgetDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.RequirementDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TolerationDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TopologySpreadConstraintDocument;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Turns a {@link SnapshotDocument} into the model, recording every problem under its JSON path. */
final class SnapshotValidator {

    /** The dearest EC2 instance costs some $100/h; far above it, a price is a typo or an attack on the sums. */
    private static final BigDecimal MAX_PRICE_PER_HOUR = BigDecimal.valueOf(1_000_000);
    private static final Pattern INT_OR_PERCENT = Pattern.compile("^\\d+%?$");
    private static final List<String> SUPPORTED_TOPOLOGY_KEYS = List.of(WellKnownLabels.HOSTNAME,
            WellKnownLabels.ZONE);

    private final InstanceCatalog catalog;
    private final List<SnapshotProblem> problems;

    SnapshotValidator(InstanceCatalog catalog, List<SnapshotProblem> problems) {
        this.catalog = catalog;
        this.problems = problems;
    }

    /** The snapshot, or empty when any problem was found (they are in the list given at construction). */
    Optional<ClusterSnapshot> validate(SnapshotDocument document) {
        expect("apiVersion", document.apiVersion(), SnapshotDocument.API_VERSION);
        expect("kind", document.kind(), SnapshotDocument.KIND);
        List<Node> nodes = eachOf("nodes", document.nodes(), this::node);
        Set<String> nodeNames = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null && !nodeNames.add(nodes.get(i).name())) {
                problem("nodes[" + i + "].name", "duplicate node name \"" + nodes.get(i).name() + "\"");
            }
        }
        List<Pod> pods = eachOf("pods", document.pods(), this::pod);
        Set<String> podKeys = new HashSet<>();
        for (int i = 0; i < pods.size(); i++) {
            Pod pod = pods.get(i);
            if (pod == null) {
                continue;
            }
            if (!podKeys.add(pod.key())) {
                problem("pods[" + i + "].name", "duplicate pod \"" + pod.key() + "\"");
            }
            if (pod.nodeName() != null && !nodeNames.contains(pod.nodeName())) {
                problem("pods[" + i + "].node", "no node named \"" + pod.nodeName() + "\" in nodes");
            }
        }
        List<PodDisruptionBudget> budgets =
                eachOf("podDisruptionBudgets", document.podDisruptionBudgets(), this::budget);
        List<InstanceOffering> offerings = document.offerings() == null
                ? catalogOfferings(nodes)
                : eachOf("offerings", document.offerings(), this::offering);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        String name = document.metadata() == null || document.metadata().name() == null
                ? "cluster" : document.metadata().name();
        return Optional.of(new ClusterSnapshot(name, nodes, pods, budgets, offerings));
    }

    private Node node(String path, NodeDocument doc) {
        String name = required(path + ".name", doc.name());
        String zone = required(path + ".zone", doc.zone());
        CapacityType capacityType = capacityType(path + ".capacityType", doc.capacityType());
        long price = price(path, doc.pricePerHour(), doc.instanceType(), capacityType);
        ResourceList allocatable = resources(path + ".allocatable", doc.allocatable());
        if (doc.allocatable() == null || doc.allocatable().isEmpty()) {
            problem(path + ".allocatable", "missing: a node needs at least cpu, memory and pods");
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
        List<Taint> taints = eachOf(path + ".taints", doc.taints(), (p, t) -> new Taint(
                required(p + ".key", t.key()), t.value(), enumValue(p + ".effect", t.effect(), TaintEffect.class)));
        return new Node(name, doc.instanceType(), zone, capacityType, price, labels, orEmpty(doc.annotations()),
                taints, allocatable, Boolean.TRUE.equals(doc.unschedulable()));
    }

    private Pod pod(String path, PodDocument doc) {
        String namespace = doc.namespace() == null ? "default" : doc.namespace();
        String name = required(path + ".name", doc.name());
        Owner owner = null;
        if (doc.owner() != null) {
            owner = new Owner(required(path + ".owner.kind", doc.owner().kind()),
                    required(path + ".owner.name", doc.owner().name()));
        }
        List<NodeSelectorTerm> terms = List.of();
        AffinityRules affinity = AffinityRules.NONE;
        if (doc.affinity() != null) {
            terms = requiredNodeAffinity(path + ".affinity.nodeAffinity", doc.affinity().nodeAffinity());
            affinity = affinity(path, doc);
        } else if (doc.topologySpreadConstraints() != null) {
            affinity = affinity(path, doc);
        }
        List<Toleration> tolerations = eachOf(path + ".tolerations", doc.tolerations(), this::toleration);
        List<Volume> volumes = eachOf(path + ".volumes", doc.volumes(), (p, v) -> new Volume(
                required(p + ".name", v.name()), v.emptyDir() != null ? Volume.Kind.EMPTY_DIR
                : v.hostPath() != null ? Volume.Kind.HOST_PATH
                : v.persistentVolumeClaim() != null ? Volume.Kind.PERSISTENT_VOLUME_CLAIM : Volume.Kind.OTHER));
        return new Pod(namespace, name, doc.node(), owner, resources(path + ".requests", doc.requests()),
                resources(path + ".usage", doc.usage()), doc.priority() == null ? 0 : doc.priority(),
                orEmpty(doc.labels()), orEmpty(doc.annotations()), orEmpty(doc.nodeSelector()), terms, tolerations,
                affinity, volumes, doc.volumeZone());
    }

    private List<NodeSelectorTerm> requiredNodeAffinity(String path, NodeAffinityDocument nodeAffinity) {
        if (nodeAffinity == null || nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        String termsPath = path + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
        List<NodeSelectorTerm> terms = eachOf(termsPath,
                nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms(), this::term);
        if (terms.isEmpty()) {
            problem(termsPath, "a required node affinity needs at least one term");
        }
        return terms;
    }

    private NodeSelectorTerm term(String path, NodeSelectorTermDocument term) {
        return new NodeSelectorTerm(eachOf(path + ".matchExpressions", term.matchExpressions(), this::requirement));
    }

    private AffinityRules affinity(String path, PodDocument doc) {
        AffinityDocument affinity = doc.affinity();
        NodeAffinityDocument nodeAffinity = affinity == null ? null : affinity.nodeAffinity();
        List<PreferredNodeTerm> preferredNodes = nodeAffinity == null ? List.of() : eachOf(
                path + ".affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution",
                nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution(),
                (p, t) -> new PreferredNodeTerm(weight(p + ".weight", t.weight()), t.preference() == null
                        ? new NodeSelectorTerm(List.of()) : term(p + ".preference", t.preference())));
        String podAffinityPath = path + ".affinity.podAffinity";
        String antiAffinityPath = path + ".affinity.podAntiAffinity";
        PodAffinityDocument podAffinity = affinity == null ? null : affinity.podAffinity();
        PodAffinityDocument antiAffinity = affinity == null ? null : affinity.podAntiAffinity();
        List<TopologySpreadConstraint> spread = eachOf(path + ".topologySpreadConstraints",
                doc.topologySpreadConstraints(), this::spread);
        return new AffinityRules(preferredNodes,
                requiredTerms(podAffinityPath, podAffinity), requiredTerms(antiAffinityPath, antiAffinity),
                preferredTerms(podAffinityPath, podAffinity), preferredTerms(antiAffinityPath, antiAffinity), spread);
    }

    private List<PodAffinityTerm> requiredTerms(String path, PodAffinityDocument doc) {
        return doc == null ? List.of() : eachOf(path + ".requiredDuringSchedulingIgnoredDuringExecution",
                doc.requiredDuringSchedulingIgnoredDuringExecution(), this::podAffinityTerm);
    }

    private List<WeightedPodAffinityTerm> preferredTerms(String path, PodAffinityDocument doc) {
        return doc == null ? List.of() : eachOf(path + ".preferredDuringSchedulingIgnoredDuringExecution",
                doc.preferredDuringSchedulingIgnoredDuringExecution(), (p, w) -> {
                    int weight = weight(p + ".weight", w.weight());
                    if (w.podAffinityTerm() == null) {
                        problem(p + ".podAffinityTerm", "missing");
                        return null;
                    }
                    return new WeightedPodAffinityTerm(weight, podAffinityTerm(p + ".podAffinityTerm",
                            w.podAffinityTerm()));
                }).stream().filter(Objects::nonNull).toList();
    }

    private PodAffinityTerm podAffinityTerm(String path, PodAffinityTermDocument doc) {
        topologyKey(path + ".topologyKey", doc.topologyKey());
        boolean allNamespaces = false;
        if (doc.namespaceSelector() != null) {
            boolean empty = (doc.namespaceSelector().matchLabels() == null
                    || doc.namespaceSelector().matchLabels().isEmpty())
                    && (doc.namespaceSelector().matchExpressions() == null
                    || doc.namespaceSelector().matchExpressions().isEmpty());
            if (empty) {
                allNamespaces = true;
            } else {
                problem(path + ".namespaceSelector", "selecting namespaces by label is not supported: the snapshot"
                        + " has no namespace labels; list them in namespaces instead");
            }
        }
        return new PodAffinityTerm(labelSelector(path + ".labelSelector", doc.labelSelector()),
                new HashSet<>(doc.namespaces() == null ? List.of() : doc.namespaces()), allNamespaces,
                doc.topologyKey());
    }

    private TopologySpreadConstraint spread(String path, TopologySpreadConstraintDocument doc) {
        topologyKey(path + ".topologyKey", doc.topologyKey());
        int maxSkew = doc.maxSkew() == null ? 0 : doc.maxSkew();
        if (maxSkew < 1) {
            problem(path + ".maxSkew", doc.maxSkew() == null ? "missing" : "must be at least 1");
        }
        boolean hard = true;
        if ("ScheduleAnyway".equals(doc.whenUnsatisfiable())) {
            hard = false;
        } else if (!"DoNotSchedule".equals(doc.whenUnsatisfiable())) {
            problem(path + ".whenUnsatisfiable", (doc.whenUnsatisfiable() == null ? "missing"
                    : "\"" + doc.whenUnsatisfiable() + "\" is not") + " DoNotSchedule or ScheduleAnyway");
        }
        return new TopologySpreadConstraint(maxSkew, doc.topologyKey(), hard,
                labelSelector(path + ".labelSelector", doc.labelSelector()));
    }

    private LabelSelector labelSelector(String path, LabelSelectorDocument doc) {
        if (doc == null) {
            return LabelSelector.NOTHING;
        }
        return new LabelSelector(orEmpty(doc.matchLabels()),
                eachOf(path + ".matchExpressions", doc.matchExpressions(), this::requirement));
    }

    private void topologyKey(String path, String key) {
        if (key == null || key.isBlank()) {
            problem(path, "missing");
        } else if (!SUPPORTED_TOPOLOGY_KEYS.contains(key)) {
            problem(path, "\"" + key + "\" is not supported; use " + SUPPORTED_TOPOLOGY_KEYS);
        }
    }

    private int weight(String path, Integer weight) {
        if (weight == null || weight < 1 || weight > 100) {
            problem(path, "must be between 1 and 100");
            return 1;
        }
        return weight;
    }

    private SelectorRequirement requirement(String path, RequirementDocument doc) {
        String key = required(path + ".key", doc.key());
        SelectorOperator operator = enumValue(path + ".operator", doc.operator(), SelectorOperator.class);
        List<String> values = doc.values() == null ? List.of() : doc.values();
        if (operator != null) {
            switch (operator) {
                case In, NotIn -> {
                    if (values.isEmpty()) {
                        problem(path + ".values", operator + " needs at least one value");
                    }
                }
                case Exists, DoesNotExist -> {
                    if (!values.isEmpty()) {
                        problem(path + ".values", operator + " takes no values");
                    }
                }
                case Gt, Lt -> {
                    if (values.size() != 1 || !values.get(0).matches("^-?\\d+$")) {
                        problem(path + ".values", operator + " needs exactly one integer value");
                    }
                }
            }
        }
        return new SelectorRequirement(key, operator, values);
    }

    private Toleration toleration(String path, TolerationDocument doc) {
        Toleration.Operator operator = doc.operator() == null
                ? Toleration.Operator.Equal
                : enumValue(path + ".operator", doc.operator(), Toleration.Operator.class);
        if (operator == Toleration.Operator.Exists && doc.value() != null && !doc.value().isEmpty()) {
            problem(path + ".value", "must be empty when operator is Exists");
        }
        if ((doc.key() == null || doc.key().isEmpty()) && operator == Toleration.Operator.Equal) {
            problem(path + ".operator", "must be Exists when key is empty");
        }
        TaintEffect effect = doc.effect() == null || doc.effect().isEmpty()
                ? null : enumValue(path + ".effect", doc.effect(), TaintEffect.class);
        return new Toleration(doc.key(), operator, doc.value(), effect);
    }

    private PodDisruptionBudget budget(String path, PodDisruptionBudgetDocument doc) {
        String namespace = null;
        String name = null;
        if (doc.metadata() == null) {
            problem(path + ".metadata", "missing");
        } else {
            namespace = required(path + ".metadata.namespace", doc.metadata().namespace());
            name = required(path + ".metadata.name", doc.metadata().name());
        }
        if (doc.spec() == null) {
            problem(path + ".spec", "missing");
            return null;
        }
        LabelSelector selector = new LabelSelector(Map.of(), List.of());
        if (doc.spec().selector() == null) {
            problem(path + ".spec.selector", "missing");
        } else {
            selector = labelSelector(path + ".spec.selector", doc.spec().selector());
        }
        String minAvailable = doc.spec().minAvailable();
        String maxUnavailable = doc.spec().maxUnavailable();
        if ((minAvailable == null) == (maxUnavailable == null)) {
            problem(path + ".spec", "set exactly one of minAvailable and maxUnavailable");
        }
        intOrPercent(path + ".spec.minAvailable", minAvailable);
        intOrPercent(path + ".spec.maxUnavailable", maxUnavailable);
        int allowed = doc.status() == null || doc.status().disruptionsAllowed() == null
                ? 0 : doc.status().disruptionsAllowed();
        if (allowed < 0) {
            problem(path + ".status.disruptionsAllowed", "must not be negative");
        }
        return new PodDisruptionBudget(namespace, name, selector, minAvailable, maxUnavailable, allowed);
    }

    private InstanceOffering offering(String path, OfferingDocument doc) {
        String type = required(path + ".instanceType", doc.instanceType());
        String zone = required(path + ".zone", doc.zone());
        CapacityType capacityType = capacityType(path + ".capacityType", doc.capacityType());
        long price = price(path, doc.pricePerHour(), type, capacityType);
        Optional<InstanceType> known = type == null ? Optional.empty() : catalog.type(type);
        ResourceList allocatable;
        if (doc.allocatable() != null && !doc.allocatable().isEmpty()) {
            allocatable = resources(path + ".allocatable", doc.allocatable());
        } else if (known.isPresent()) {
            allocatable = known.get().allocatable();
        } else {
            problem(path + ".allocatable", "missing, and \"" + type + "\" is not in the catalogue");
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
            if (pricePerHour.compareTo(MAX_PRICE_PER_HOUR) > 0) {
                problem(path + ".pricePerHour", "is beyond any instance's price (over $" + MAX_PRICE_PER_HOUR
                        + "/h)");
                return 0;
            }
            if (pricePerHour.signum() < 0) {
                problem(path + ".pricePerHour", "must not be negative");
                return 0;
            }
            return Money.micros(pricePerHour);
        }
        if (instanceType == null || capacityType == null) {
            problem(path + ".pricePerHour", "missing, and no instanceType to look the price up by");
            return 0;
        }
        OptionalLong price = catalog.price(instanceType, capacityType);
        if (price.isEmpty()) {
            problem(path + ".pricePerHour", "missing, and the catalogue has no " + capacityType.label()
                    + " price for instance type \"" + instanceType + "\"");
            return 0;
        }
        return price.getAsLong();
    }

    private CapacityType capacityType(String path, String text) {
        if (text == null) {
            return CapacityType.ON_DEMAND;
        }
        Optional<CapacityType> capacityType = CapacityType.fromLabel(text);
        if (capacityType.isEmpty()) {
            problem(path, "\"" + text + "\" is not a capacity type (on-demand or spot)");
        }
        return capacityType.orElse(null);
    }

    private ResourceList resources(String path, Map<String, String> quantities) {
        Map<String, Long> amounts = new TreeMap<>();
        orEmpty(quantities).forEach((resource, text) -> {
            String at = path + "." + resource;
            Optional<Long> amount = Quantity.parse(resource, text);
            if (amount.isEmpty()) {
                problem(at, (text == null ? "null" : "\"" + text + "\"") + " is not a quantity");
            } else if (amount.get() < 0) {
                problem(at, "\"" + text + "\" is negative");
            } else {
                amounts.put(resource, amount.get());
            }
        });
        return ResourceList.of(amounts);
    }

    private void intOrPercent(String path, String text) {
        if (text != null && !INT_OR_PERCENT.matcher(text).matches()) {
            problem(path, "\"" + text + "\" is neither a count nor a percentage");
        } else if (text != null && text.endsWith("%")
                && new BigDecimal(text.substring(0, text.length() - 1)).compareTo(BigDecimal.valueOf(100)) > 0) {
            problem(path, "\"" + text + "\" is over 100%");
        }
    }

    private <D, M> List<M> eachOf(String path, List<D> documents, BiFunction<String, D, M> convert) {
        List<M> converted = new ArrayList<>();
        if (documents == null) {
            return converted;
        }
        for (int i = 0; i < documents.size(); i++) {
            String at = path + "[" + i + "]";
            if (documents.get(i) == null) {
                problem(at, "must not be null");
            } else {
                converted.add(convert.apply(at, documents.get(i)));
            }
        }
        return converted;
    }

    private <E extends Enum<E>> E enumValue(String path, String text, Class<E> type) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(text)) {
                return value;
            }
        }
        problem(path, (text == null ? "missing" : "\"" + text + "\" is not one of")
                + (text == null ? ", expected one of " : " ") + Arrays.toString(type.getEnumConstants()));
        return null;
    }

    private void expect(String path, String actual, String expected) {
        if (!expected.equals(actual)) {
            problem(path, actual == null ? "missing, expected \"" + expected + "\""
                    : "\"" + actual + "\" is not supported, expected \"" + expected + "\"");
        }
    }

    private String required(String path, String value) {
        if (value == null || value.isBlank()) {
            problem(path, "missing");
        }
        return value;
    }

    /**
     * The catalogue in the cluster's zones, for the architectures its nodes run: images built for one architecture
     * would not start on another, so a plan keeps to what the cluster already runs (amd64 when no node says).
     */
    private List<InstanceOffering> catalogOfferings(List<Node> nodes) {
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
        return catalog.offerings(zones).stream()
                .filter(o -> arches.contains(o.labels().get(WellKnownLabels.ARCH)))
                .toList();
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }

    private void problem(String path, String message) {
        problems.add(new SnapshotProblem(path, message));
    }
}

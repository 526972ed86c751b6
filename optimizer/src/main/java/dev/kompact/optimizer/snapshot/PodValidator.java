package dev.kompact.optimizer.snapshot;

import static dev.kompact.optimizer.snapshot.DocumentChecks.orEmpty;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.PreferredNodeTerm;
import dev.kompact.optimizer.model.TaintEffect;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.TopologySpreadConstraint;
import dev.kompact.optimizer.model.Volume;
import dev.kompact.optimizer.model.WeightedPodAffinityTerm;
import dev.kompact.optimizer.model.WellKnownLabels;
import dev.kompact.optimizer.snapshot.SnapshotDocument.AffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeAffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeSelectorTermDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodAffinityDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodAffinityTermDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.PodDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TolerationDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.TopologySpreadConstraintDocument;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** Turns pod documents into the model: owner, requests, tolerations, volumes, node and pod affinity, spread. */
final class PodValidator {

    private static final List<String> SUPPORTED_TOPOLOGY_KEYS = List.of(WellKnownLabels.HOSTNAME, WellKnownLabels.ZONE);

    private final DocumentChecks checks;

    PodValidator(DocumentChecks checks) {
        this.checks = checks;
    }

    Pod pod(String path, PodDocument doc) {
        String namespace = doc.namespace() == null ? "default" : doc.namespace();
        String name = checks.required(path + ".name", doc.name());
        Owner owner = null;
        if (doc.owner() != null) {
            owner = new Owner(
                    checks.required(path + ".owner.kind", doc.owner().kind()),
                    checks.required(path + ".owner.name", doc.owner().name()));
        }
        List<NodeSelectorTerm> terms = List.of();
        AffinityRules affinity = AffinityRules.NONE;
        if (doc.affinity() != null) {
            terms = requiredNodeAffinity(
                    path + ".affinity.nodeAffinity", doc.affinity().nodeAffinity());
            affinity = affinity(path, doc);
        } else if (doc.topologySpreadConstraints() != null) {
            affinity = affinity(path, doc);
        }
        List<Toleration> tolerations = checks.eachOf(path + ".tolerations", doc.tolerations(), this::toleration);
        List<Volume> volumes = checks.eachOf(
                path + ".volumes",
                doc.volumes(),
                (p, v) -> new Volume(
                        checks.required(p + ".name", v.name()),
                        v.emptyDir() != null
                                ? Volume.Kind.EMPTY_DIR
                                : v.hostPath() != null
                                        ? Volume.Kind.HOST_PATH
                                        : v.persistentVolumeClaim() != null
                                                ? Volume.Kind.PERSISTENT_VOLUME_CLAIM
                                                : Volume.Kind.OTHER));
        return new Pod(
                namespace,
                name,
                doc.node(),
                owner,
                checks.resources(path + ".requests", doc.requests()),
                checks.resources(path + ".usage", doc.usage()),
                doc.priority() == null ? 0 : doc.priority(),
                orEmpty(doc.labels()),
                orEmpty(doc.annotations()),
                orEmpty(doc.nodeSelector()),
                terms,
                tolerations,
                affinity,
                volumes,
                doc.volumeZone());
    }

    private List<NodeSelectorTerm> requiredNodeAffinity(String path, NodeAffinityDocument nodeAffinity) {
        if (nodeAffinity == null || nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        String termsPath = path + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
        List<NodeSelectorTerm> terms = checks.eachOf(
                termsPath,
                nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution().nodeSelectorTerms(),
                this::term);
        if (terms.isEmpty()) {
            checks.problem(termsPath, "a required node affinity needs at least one term");
        }
        return terms;
    }

    private NodeSelectorTerm term(String path, NodeSelectorTermDocument term) {
        return new NodeSelectorTerm(
                checks.eachOf(path + ".matchExpressions", term.matchExpressions(), checks::requirement));
    }

    private AffinityRules affinity(String path, PodDocument doc) {
        AffinityDocument affinity = doc.affinity();
        NodeAffinityDocument nodeAffinity = affinity == null ? null : affinity.nodeAffinity();
        List<PreferredNodeTerm> preferredNodes = nodeAffinity == null
                ? List.of()
                : checks.eachOf(
                        path + ".affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution",
                        nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution(),
                        (p, t) -> new PreferredNodeTerm(
                                weight(p + ".weight", t.weight()),
                                t.preference() == null
                                        ? new NodeSelectorTerm(List.of())
                                        : term(p + ".preference", t.preference())));
        String podAffinityPath = path + ".affinity.podAffinity";
        String antiAffinityPath = path + ".affinity.podAntiAffinity";
        PodAffinityDocument podAffinity = affinity == null ? null : affinity.podAffinity();
        PodAffinityDocument antiAffinity = affinity == null ? null : affinity.podAntiAffinity();
        List<TopologySpreadConstraint> spread =
                checks.eachOf(path + ".topologySpreadConstraints", doc.topologySpreadConstraints(), this::spread);
        return new AffinityRules(
                preferredNodes,
                requiredTerms(podAffinityPath, podAffinity),
                requiredTerms(antiAffinityPath, antiAffinity),
                preferredTerms(podAffinityPath, podAffinity),
                preferredTerms(antiAffinityPath, antiAffinity),
                spread);
    }

    private List<PodAffinityTerm> requiredTerms(String path, PodAffinityDocument doc) {
        return doc == null
                ? List.of()
                : checks.eachOf(
                        path + ".requiredDuringSchedulingIgnoredDuringExecution",
                        doc.requiredDuringSchedulingIgnoredDuringExecution(),
                        this::podAffinityTerm);
    }

    private List<WeightedPodAffinityTerm> preferredTerms(String path, PodAffinityDocument doc) {
        return doc == null
                ? List.of()
                : checks
                        .eachOf(
                                path + ".preferredDuringSchedulingIgnoredDuringExecution",
                                doc.preferredDuringSchedulingIgnoredDuringExecution(),
                                (p, w) -> {
                                    int weight = weight(p + ".weight", w.weight());
                                    if (w.podAffinityTerm() == null) {
                                        checks.problem(p + ".podAffinityTerm", "missing");
                                        return null;
                                    }
                                    return new WeightedPodAffinityTerm(
                                            weight, podAffinityTerm(p + ".podAffinityTerm", w.podAffinityTerm()));
                                })
                        .stream()
                        .filter(Objects::nonNull)
                        .toList();
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
                checks.problem(
                        path + ".namespaceSelector",
                        "selecting namespaces by label is not supported: the"
                                + " snapshot has no namespace labels; list them in namespaces instead");
            }
        }
        return new PodAffinityTerm(
                checks.labelSelector(path + ".labelSelector", doc.labelSelector()),
                new HashSet<>(doc.namespaces() == null ? List.of() : doc.namespaces()),
                allNamespaces,
                doc.topologyKey());
    }

    private TopologySpreadConstraint spread(String path, TopologySpreadConstraintDocument doc) {
        topologyKey(path + ".topologyKey", doc.topologyKey());
        int maxSkew = doc.maxSkew() == null ? 0 : doc.maxSkew();
        if (maxSkew < 1) {
            checks.problem(path + ".maxSkew", doc.maxSkew() == null ? "missing" : "must be at least 1");
        }
        boolean hard = true;
        if ("ScheduleAnyway".equals(doc.whenUnsatisfiable())) {
            hard = false;
        } else if (!"DoNotSchedule".equals(doc.whenUnsatisfiable())) {
            checks.problem(
                    path + ".whenUnsatisfiable",
                    (doc.whenUnsatisfiable() == null ? "missing" : "\"" + doc.whenUnsatisfiable() + "\" is not")
                            + " DoNotSchedule or ScheduleAnyway");
        }
        return new TopologySpreadConstraint(
                maxSkew, doc.topologyKey(), hard, checks.labelSelector(path + ".labelSelector", doc.labelSelector()));
    }

    private void topologyKey(String path, String key) {
        if (key == null || key.isBlank()) {
            checks.problem(path, "missing");
        } else if (!SUPPORTED_TOPOLOGY_KEYS.contains(key)) {
            checks.problem(path, "\"" + key + "\" is not supported; use " + SUPPORTED_TOPOLOGY_KEYS);
        }
    }

    private int weight(String path, Integer weight) {
        if (weight == null || weight < 1 || weight > 100) {
            checks.problem(path, "must be between 1 and 100");
            return 1;
        }
        return weight;
    }

    private Toleration toleration(String path, TolerationDocument doc) {
        Toleration.Operator operator = doc.operator() == null
                ? Toleration.Operator.Equal
                : checks.enumValue(path + ".operator", doc.operator(), Toleration.Operator.class);
        if (operator == Toleration.Operator.Exists
                && doc.value() != null
                && !doc.value().isEmpty()) {
            checks.problem(path + ".value", "must be empty when operator is Exists");
        }
        if ((doc.key() == null || doc.key().isEmpty()) && operator == Toleration.Operator.Equal) {
            checks.problem(path + ".operator", "must be Exists when key is empty");
        }
        TaintEffect effect = doc.effect() == null || doc.effect().isEmpty()
                ? null
                : checks.enumValue(path + ".effect", doc.effect(), TaintEffect.class);
        return new Toleration(doc.key(), operator, doc.value(), effect);
    }
}

package dev.kompact.sim.sample;

import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.SelectorRequirement;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One workload of the sample: what it is and how it may be scheduled; the generator draws its requests from the
 * profile. {@code replicas} is ignored for DaemonSets (one pod per node); the last {@code pendingReplicas} replicas
 * are not yet bound. The required node affinity, when present, is a single term.
 */
record WorkloadSpec(
        String namespace,
        String name,
        WorkloadKind kind,
        Profile profile,
        int replicas,
        int priority,
        Map<String, String> nodeSelector,
        List<NodeSelectorTerm> requiredNodeAffinity,
        List<Toleration> tolerations,
        Map<String, String> annotations,
        int pendingReplicas,
        BudgetSpec budget) {

    static final int SYSTEM_NODE_CRITICAL = 2_000_001_000;
    static final int SYSTEM_CLUSTER_CRITICAL = 2_000_000_000;

    static WorkloadSpec deployment(String namespace, String name, Profile profile, int replicas) {
        return of(namespace, name, WorkloadKind.DEPLOYMENT, profile, replicas);
    }

    static WorkloadSpec statefulSet(String namespace, String name, Profile profile, int replicas) {
        return of(namespace, name, WorkloadKind.STATEFUL_SET, profile, replicas);
    }

    static WorkloadSpec bare(String namespace, String name, Profile profile) {
        return of(namespace, name, WorkloadKind.POD, profile, 1);
    }

    /** Node agents run everywhere: they tolerate every taint and outrank every workload. */
    static WorkloadSpec daemonSet(String namespace, String name) {
        return of(namespace, name, WorkloadKind.DAEMON_SET, Profile.NODE_AGENT, 0)
                .withPriority(SYSTEM_NODE_CRITICAL)
                .selecting(WellKnownLabels.OS, "linux")
                .tolerating(new Toleration(null, Toleration.Operator.Exists, null, null));
    }

    private static WorkloadSpec of(String namespace, String name, WorkloadKind kind, Profile profile, int replicas) {
        return new WorkloadSpec(
                namespace, name, kind, profile, replicas, 0, Map.of(), List.of(), List.of(), Map.of(), 0, null);
    }

    WorkloadSpec withPriority(int value) {
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                value,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                annotations,
                pendingReplicas,
                budget);
    }

    WorkloadSpec selecting(String label, String value) {
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                priority,
                put(nodeSelector, label, value),
                requiredNodeAffinity,
                tolerations,
                annotations,
                pendingReplicas,
                budget);
    }

    WorkloadSpec requiring(String label, SelectorOperator operator, String... values) {
        List<SelectorRequirement> requirements = new ArrayList<>();
        requiredNodeAffinity.forEach(term -> requirements.addAll(term.matchExpressions()));
        requirements.add(new SelectorRequirement(label, operator, List.of(values)));
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                priority,
                nodeSelector,
                List.of(new NodeSelectorTerm(requirements)),
                tolerations,
                annotations,
                pendingReplicas,
                budget);
    }

    WorkloadSpec tolerating(Toleration toleration) {
        List<Toleration> more = new ArrayList<>(tolerations);
        more.add(toleration);
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                priority,
                nodeSelector,
                requiredNodeAffinity,
                more,
                annotations,
                pendingReplicas,
                budget);
    }

    WorkloadSpec annotated(String annotation, String value) {
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                priority,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                put(annotations, annotation, value),
                pendingReplicas,
                budget);
    }

    WorkloadSpec pending(int count) {
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                priority,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                annotations,
                count,
                budget);
    }

    WorkloadSpec minAvailable(String intOrPercent) {
        return withBudget(new BudgetSpec(intOrPercent, null));
    }

    WorkloadSpec maxUnavailable(String intOrPercent) {
        return withBudget(new BudgetSpec(null, intOrPercent));
    }

    private WorkloadSpec withBudget(BudgetSpec budget) {
        return new WorkloadSpec(
                namespace,
                name,
                kind,
                profile,
                replicas,
                priority,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                annotations,
                pendingReplicas,
                budget);
    }

    String key() {
        return namespace + "/" + name;
    }

    private static Map<String, String> put(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new TreeMap<>(map);
        copy.put(key, value);
        return copy;
    }
}

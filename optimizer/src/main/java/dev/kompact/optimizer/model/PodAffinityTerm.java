package dev.kompact.optimizer.model;

import java.util.Set;

/**
 * One pod (anti-)affinity term: the pods {@code selector} picks, in {@code namespaces} (the owner's own namespace
 * when empty, every namespace when {@code allNamespaces}), counted per domain of {@code topologyKey}.
 */
public record PodAffinityTerm(
        LabelSelector selector, Set<String> namespaces, boolean allNamespaces, String topologyKey) {

    public PodAffinityTerm {
        namespaces = Set.copyOf(namespaces);
    }

    /** Whether {@code other} is one of the pods this term of {@code owner} refers to. */
    public boolean selects(Pod owner, Pod other) {
        boolean inNamespace = allNamespaces
                || (namespaces.isEmpty()
                        ? owner.namespace().equals(other.namespace())
                        : namespaces.contains(other.namespace()));
        return inNamespace && selector.matches(other.labels());
    }
}

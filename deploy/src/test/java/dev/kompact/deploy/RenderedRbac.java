package dev.kompact.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules the chart grants one service account, evaluated as RBAC does: a ClusterRole bound cluster-wide grants
 * in every namespace, a Role only in its own; a rule with resourceNames matches only requests naming one of them
 * (so never a create). Every grant is counted, so that rules no request needed can be reported.
 */
final class RenderedRbac {

    private record Grant(String namespace, PolicyRule rule) {}

    private final List<Grant> grants = new ArrayList<>();
    private final Set<String> used = new LinkedHashSet<>();

    RenderedRbac(List<HasMetadata> manifests, String serviceAccount, String serviceAccountNamespace) {
        for (ClusterRoleBinding binding : Chart.all(manifests, ClusterRoleBinding.class)) {
            if (binds(binding.getSubjects(), serviceAccount, serviceAccountNamespace)) {
                Chart.named(manifests, ClusterRole.class, binding.getRoleRef().getName())
                        .orElseThrow()
                        .getRules()
                        .forEach(r -> grants.add(new Grant(null, r)));
            }
        }
        for (RoleBinding binding : Chart.all(manifests, RoleBinding.class)) {
            if (binds(binding.getSubjects(), serviceAccount, serviceAccountNamespace)) {
                Role role = Chart.all(manifests, Role.class).stream()
                        .filter(r -> r.getMetadata()
                                        .getName()
                                        .equals(binding.getRoleRef().getName())
                                && r.getMetadata()
                                        .getNamespace()
                                        .equals(binding.getMetadata().getNamespace()))
                        .findFirst()
                        .orElseThrow();
                role.getRules()
                        .forEach(r -> grants.add(new Grant(role.getMetadata().getNamespace(), r)));
            }
        }
    }

    private static boolean binds(
            List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects, String name, String namespace) {
        return subjects != null
                && subjects.stream()
                        .anyMatch(s -> "ServiceAccount".equals(s.getKind())
                                && name.equals(s.getName())
                                && namespace.equals(s.getNamespace()));
    }

    boolean isEmpty() {
        return grants.isEmpty();
    }

    /** Whether RBAC allows the request; records the grant that allowed it. */
    boolean allows(ApiRequest request) {
        for (Grant grant : grants) {
            if (matches(grant, request)) {
                used.add(key(grant, request.group(), request.fullResource(), request.verb()));
                return true;
            }
        }
        return false;
    }

    /** Every (rule, resource, verb) the rules grant that no request used. */
    List<String> unused() {
        List<String> unused = new ArrayList<>();
        for (Grant grant : grants) {
            for (String group : grant.rule().getApiGroups()) {
                for (String resource : grant.rule().getResources()) {
                    for (String verb : grant.rule().getVerbs()) {
                        String key = key(grant, group, resource, verb);
                        if (!used.contains(key)) {
                            unused.add(key);
                        }
                    }
                }
            }
        }
        return unused;
    }

    private static String key(Grant grant, String group, String resource, String verb) {
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                + (grant.namespace() == null ? "" : " in " + grant.namespace())
                + (grant.rule().getResourceNames() == null
                                || grant.rule().getResourceNames().isEmpty()
                        ? ""
                        : " named " + grant.rule().getResourceNames());
    }

    private static boolean matches(Grant grant, ApiRequest request) {
        PolicyRule rule = grant.rule();
        if (!request.isResource()) {
            return false;
        }
        if (grant.namespace() != null && !grant.namespace().equals(request.namespace())) {
            return false;
        }
        List<String> names = rule.getResourceNames();
        return rule.getApiGroups().contains(request.group())
                && rule.getResources().contains(request.fullResource())
                && rule.getVerbs().contains(request.verb())
                && (names == null || names.isEmpty() || (request.name() != null && names.contains(request.name())));
    }
}

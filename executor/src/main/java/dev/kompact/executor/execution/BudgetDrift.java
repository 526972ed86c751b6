package dev.kompact.executor.execution;

import dev.kompact.executor.cluster.IntOrStrings;
import dev.kompact.executor.crd.PdbRecord;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the PodDisruptionBudgets covering a pod still say what they said when the plan was made. A budget that
 * changed, or a new one, means its owner asked for different disruption than the plan assumed.
 */
final class BudgetDrift {

    private BudgetDrift() {}

    /** A description of the first change found, or empty when the pod's budgets are as recorded. */
    static Optional<String> of(Pod pod, List<PodDisruptionBudget> live, List<PdbRecord> recorded) {
        for (PodDisruptionBudget pdb : live) {
            if (!LabelSelectors.matches(
                    pdb.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                continue;
            }
            String name =
                    pdb.getMetadata().getNamespace() + "/" + pdb.getMetadata().getName();
            String minAvailable = IntOrStrings.text(pdb.getSpec().getMinAvailable());
            String maxUnavailable = IntOrStrings.text(pdb.getSpec().getMaxUnavailable());
            Optional<PdbRecord> before = recorded.stream()
                    .filter(r -> r.namespace.equals(pdb.getMetadata().getNamespace())
                            && r.name.equals(pdb.getMetadata().getName()))
                    .findFirst();
            if (before.isEmpty()) {
                return Optional.of("PodDisruptionBudget " + name + " now covers "
                        + pod.getMetadata().getName() + " and did not when the plan was made");
            }
            if (!Objects.equals(before.get().minAvailable, minAvailable)
                    || !Objects.equals(before.get().maxUnavailable, maxUnavailable)) {
                return Optional.of("PodDisruptionBudget " + name + " changed from "
                        + describe(before.get().minAvailable, before.get().maxUnavailable) + " to "
                        + describe(minAvailable, maxUnavailable)
                        + " after the plan was made");
            }
        }
        return Optional.empty();
    }

    private static String describe(String minAvailable, String maxUnavailable) {
        return minAvailable != null ? "minAvailable " + minAvailable : "maxUnavailable " + maxUnavailable;
    }
}

package dev.kompact.executor.execution;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Sets a status condition the Kubernetes way: the transition time moves only when the status flips. */
final class Conditions {

    static final String PROGRESSING = "Progressing";
    static final String SUCCEEDED = "Succeeded";

    private Conditions() {}

    static void set(
            List<Condition> conditions,
            String type,
            boolean status,
            String reason,
            String message,
            Instant now,
            Long generation) {
        String value = status ? "True" : "False";
        Condition existing = conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
        String transition = existing != null && Objects.equals(existing.getStatus(), value)
                ? existing.getLastTransitionTime()
                : now.toString();
        conditions.removeIf(c -> type.equals(c.getType()));
        conditions.add(new ConditionBuilder()
                .withType(type)
                .withStatus(value)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(transition)
                .withObservedGeneration(generation)
                .build());
    }
}

package dev.kompact.optimizer.model;

import java.util.List;
import java.util.Map;

/** One {@code key operator values} requirement, evaluated against a set of labels. */
public record SelectorRequirement(String key, SelectorOperator operator, List<String> values) {

    public SelectorRequirement {
        values = List.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
        String label = labels.get(key);
        return switch (operator) {
            case In -> label != null && values.contains(label);
            case NotIn -> label == null || !values.contains(label);
            case Exists -> label != null;
            case DoesNotExist -> label == null;
            case Gt -> compareAsInteger(label) > 0;
            case Lt -> compareAsInteger(label) < 0;
        };
    }

    /** Sign of label minus the single value, or 0 when either is not an integer (then neither Gt nor Lt holds). */
    private int compareAsInteger(String label) {
        if (label == null || values.size() != 1) {
            return 0;
        }
        try {
            return Long.compare(Long.parseLong(label), Long.parseLong(values.get(0)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

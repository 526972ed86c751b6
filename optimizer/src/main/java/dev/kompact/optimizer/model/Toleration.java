package dev.kompact.optimizer.model;

/**
 * A pod's toleration, matched as the scheduler matches it: an empty key with {@code Exists} tolerates every taint,
 * a null effect matches every effect, and {@code Exists} ignores the value.
 */
public record Toleration(String key, Operator operator, String value, TaintEffect effect) {

    public enum Operator {
        Equal,
        Exists
    }

    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (key == null || key.isEmpty()) {
            return operator == Operator.Exists;
        }
        if (!key.equals(taint.key())) {
            return false;
        }
        return operator == Operator.Exists || nullToEmpty(value).equals(nullToEmpty(taint.value()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

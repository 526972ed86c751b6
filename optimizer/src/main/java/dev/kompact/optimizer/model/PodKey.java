package dev.kompact.optimizer.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a plan, the RebalancePlan resource and the executor name one pod: written {@code namespace/name}. */
public record PodKey(String namespace, String name) implements Comparable<PodKey> {

    @JsonCreator
    public static PodKey parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("pod \"" + text + "\" is not written namespace/name");
        }
        return new PodKey(text.substring(0, slash), text.substring(slash + 1));
    }

    /** In the order of the written keys, which is the order plans list their moves in. */
    @Override
    public int compareTo(PodKey other) {
        return toString().compareTo(other.toString());
    }

    @JsonValue
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

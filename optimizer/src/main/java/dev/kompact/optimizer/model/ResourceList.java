package dev.kompact.optimizer.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Amounts of named resources in their integer units (see {@link ResourceNames}); an absent name is zero. */
public record ResourceList(Map<String, Long> amounts) {

    public static final ResourceList EMPTY = new ResourceList(Map.of());

    public ResourceList {
        amounts = Collections.unmodifiableMap(new TreeMap<>(amounts));
    }

    public static ResourceList of(Map<String, Long> amounts) {
        return new ResourceList(amounts);
    }

    public long get(String resource) {
        return amounts.getOrDefault(resource, 0L);
    }

    /** @throws ArithmeticException on overflow: a wrapped sum would make an overfull node look empty */
    public ResourceList plus(ResourceList other) {
        Map<String, Long> sum = new TreeMap<>(amounts);
        other.amounts.forEach((name, amount) -> sum.merge(name, amount, Math::addExact));
        return new ResourceList(sum);
    }

    /** @throws ArithmeticException on overflow */
    public ResourceList minus(ResourceList other) {
        Map<String, Long> difference = new TreeMap<>(amounts);
        other.amounts.forEach((name, amount) -> difference.merge(name, Math.negateExact(amount), Math::addExact));
        return new ResourceList(difference);
    }

    public ResourceList with(String resource, long amount) {
        Map<String, Long> copy = new TreeMap<>(amounts);
        copy.put(resource, amount);
        return new ResourceList(copy);
    }
}

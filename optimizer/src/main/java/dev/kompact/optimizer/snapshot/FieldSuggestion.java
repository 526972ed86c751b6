package dev.kompact.optimizer.snapshot;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The known field a misspelt one most likely meant: within a third of its length in edits, as typos are. */
final class FieldSuggestion {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private FieldSuggestion() {}

    static Optional<String> nearest(String field, Collection<Object> known) {
        if (known == null) {
            return Optional.empty();
        }
        int allowed = Math.max(1, field.length() / 3);
        return known.stream()
                .map(String::valueOf)
                .filter(name -> distance(field, name) <= allowed)
                .min(Comparator.comparingInt((String name) -> distance(field, name))
                        .thenComparing(name -> name));
    }

    private static int distance(String a, String b) {
        return DISTANCE.apply(a.toLowerCase(), b.toLowerCase());
    }
}

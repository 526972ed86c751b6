package dev.kompact.optimizer.snapshot;

import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Money;
import dev.kompact.optimizer.model.Quantity;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.SelectorRequirement;
import dev.kompact.optimizer.snapshot.SnapshotDocument.LabelSelectorDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.RequirementDocument;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Records problems under their JSON path, and reads the shapes every document kind shares: names, enums, lists,
 * quantities, label selectors.
 */
final class DocumentChecks {

    private static final Pattern INT_OR_PERCENT = Pattern.compile("^\\d+%?$");

    private final List<SnapshotProblem> problems;

    DocumentChecks(List<SnapshotProblem> problems) {
        this.problems = problems;
    }

    boolean any() {
        return !problems.isEmpty();
    }

    void problem(String path, String message) {
        problems.add(new SnapshotProblem(path, message));
    }

    String required(String path, String value) {
        if (value == null || value.isBlank()) {
            problem(path, "missing");
        }
        return value;
    }

    void expect(String path, String actual, String expected) {
        if (!expected.equals(actual)) {
            problem(
                    path,
                    actual == null
                            ? "missing, expected \"" + expected + "\""
                            : "\"" + actual + "\" is not supported, expected \"" + expected + "\"");
        }
    }

    <E extends Enum<E>> E enumValue(String path, String text, Class<E> type) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(text)) {
                return value;
            }
        }
        problem(
                path,
                (text == null ? "missing" : "\"" + text + "\" is not one of")
                        + (text == null ? ", expected one of " : " ")
                        + Arrays.toString(type.getEnumConstants()));
        return null;
    }

    <D, M> List<M> eachOf(String path, List<D> documents, BiFunction<String, D, M> convert) {
        List<M> converted = new ArrayList<>();
        if (documents == null) {
            return converted;
        }
        for (int i = 0; i < documents.size(); i++) {
            String at = path + "[" + i + "]";
            if (documents.get(i) == null) {
                problem(at, "must not be null");
            } else {
                converted.add(convert.apply(at, documents.get(i)));
            }
        }
        return converted;
    }

    ResourceList resources(String path, Map<String, String> quantities) {
        Map<String, Long> amounts = new TreeMap<>();
        orEmpty(quantities).forEach((resource, text) -> {
            String at = path + "." + resource;
            Optional<Long> amount = Quantity.parse(resource, text);
            if (amount.isEmpty()) {
                problem(at, (text == null ? "null" : "\"" + text + "\"") + " is not a quantity");
            } else if (amount.get() < 0) {
                problem(at, "\"" + text + "\" is negative");
            } else if (amount.get() > ResourceNames.maxOnAnyNode(resource)) {
                problem(
                        at,
                        "\"" + text + "\" is beyond what any node can hold (over "
                                + Quantity.format(resource, ResourceNames.maxOnAnyNode(resource)) + ")");
            } else {
                amounts.put(resource, amount.get());
            }
        });
        return ResourceList.of(amounts);
    }

    /** A price per hour in USD as micro-dollars, or 0 with a problem when it is negative or beyond any instance's. */
    long price(String path, BigDecimal pricePerHour) {
        if (Money.isHourlyPrice(pricePerHour)) {
            return Money.micros(pricePerHour);
        }
        problem(
                path,
                pricePerHour.signum() < 0
                        ? "must not be negative"
                        : "is beyond any instance's price (over $" + Money.MAX_PRICE_PER_HOUR + "/h)");
        return 0;
    }

    /** The same ceiling for a price that came from the catalogue rather than the document. */
    boolean priceWithinReason(String path, long pricePerHourMicros) {
        if (!Money.isHourlyPrice(Money.dollars(pricePerHourMicros))) {
            problem(
                    path,
                    "the catalogue prices it at $" + Money.dollars(pricePerHourMicros)
                            + "/h, beyond any instance's price (over $" + Money.MAX_PRICE_PER_HOUR + "/h)");
            return false;
        }
        return true;
    }

    void intOrPercent(String path, String text) {
        if (text != null && !INT_OR_PERCENT.matcher(text).matches()) {
            problem(path, "\"" + text + "\" is neither a count nor a percentage");
        } else if (text != null
                && text.endsWith("%")
                && new BigDecimal(text.substring(0, text.length() - 1)).compareTo(BigDecimal.valueOf(100)) > 0) {
            problem(path, "\"" + text + "\" is over 100%");
        }
    }

    static Map<String, String> orEmpty(Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }

    LabelSelector labelSelector(String path, LabelSelectorDocument doc) {
        if (doc == null) {
            return LabelSelector.NOTHING;
        }
        return new LabelSelector(
                orEmpty(doc.matchLabels()),
                eachOf(path + ".matchExpressions", doc.matchExpressions(), this::requirement));
    }

    SelectorRequirement requirement(String path, RequirementDocument doc) {
        String key = required(path + ".key", doc.key());
        SelectorOperator operator = enumValue(path + ".operator", doc.operator(), SelectorOperator.class);
        List<String> values = doc.values() == null ? List.of() : doc.values();
        if (operator != null) {
            switch (operator) {
                case In, NotIn -> {
                    if (values.isEmpty()) {
                        problem(path + ".values", operator + " needs at least one value");
                    }
                }
                case Exists, DoesNotExist -> {
                    if (!values.isEmpty()) {
                        problem(path + ".values", operator + " takes no values");
                    }
                }
                case Gt, Lt -> {
                    if (values.size() != 1 || !values.get(0).matches("^-?\\d+$")) {
                        problem(path + ".values", operator + " needs exactly one integer value");
                    }
                }
            }
        }
        return new SelectorRequirement(key, operator, values);
    }
}

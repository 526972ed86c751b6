package dev.kompact.executor.crd;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the API server checks of an object against a CRD's schema, for the keywords Kompact's CRDs use: minimum,
 * maximum, pattern, maxLength, enum, and {@code x-kubernetes-validations} evaluated in CEL (cel-java; the API server
 * runs cel-go, the same language). A rule that reads {@code oldSelf} is a transition rule, checked on updates only.
 * No API server runs here (see the Kubernetes testing notes), so this stands in for its validation.
 */
final class CrdSchemaCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final JSONSchemaProps schema;

    CrdSchemaCheck(JSONSchemaProps schema) {
        this.schema = schema;
    }

    /** The messages the API server would refuse {@code object} with on create. */
    List<String> create(Object object) {
        List<String> violations = new ArrayList<>();
        check(schema, cel(JSON.convertValue(object, Object.class)), null, "", violations);
        return violations;
    }

    /** The messages the API server would refuse the change from {@code old} to {@code updated} with. */
    List<String> update(Object old, Object updated) {
        List<String> violations = new ArrayList<>();
        check(
                schema,
                cel(JSON.convertValue(updated, Object.class)),
                cel(JSON.convertValue(old, Object.class)),
                "",
                violations);
        return violations;
    }

    private static void check(JSONSchemaProps schema, Object value, Object old, String path, List<String> violations) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> map && schema.getProperties() != null) {
            Map<?, ?> oldMap = old instanceof Map<?, ?> m ? m : null;
            schema.getProperties().forEach((name, property) -> {
                if (map.containsKey(name)) {
                    check(
                            property,
                            map.get(name),
                            oldMap == null ? null : oldMap.get(name),
                            path + "." + name,
                            violations);
                }
            });
        }
        if (value instanceof List<?> list && schema.getItems() != null) {
            for (int i = 0; i < list.size(); i++) {
                check(schema.getItems().getSchema(), list.get(i), null, path + "[" + i + "]", violations);
            }
        }
        if (value instanceof Number number) {
            if (schema.getMinimum() != null && number.doubleValue() < schema.getMinimum()) {
                violations.add(path + ": should be greater than or equal to " + schema.getMinimum());
            }
            if (schema.getMaximum() != null && number.doubleValue() > schema.getMaximum()) {
                violations.add(path + ": should be less than or equal to " + schema.getMaximum());
            }
        }
        if (value instanceof String text) {
            if (schema.getPattern() != null
                    && !Pattern.compile(schema.getPattern()).matcher(text).find()) {
                violations.add(path + ": should match '" + schema.getPattern() + "'");
            }
            if (schema.getMaxLength() != null && text.length() > schema.getMaxLength()) {
                violations.add(path + ": may not be longer than " + schema.getMaxLength());
            }
            if (schema.getEnum() != null
                    && !schema.getEnum().isEmpty()
                    && schema.getEnum().stream().noneMatch(e -> text.equals(e.asText()))) {
                violations.add(path + ": unsupported value \"" + text + "\"");
            }
        }
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule rule : schema.getXKubernetesValidations()) {
                boolean transition = rule.getRule().contains("oldSelf");
                if (transition && old == null) {
                    continue;
                }
                Map<String, Object> variables = new HashMap<>();
                variables.put("self", value);
                if (transition) {
                    variables.put("oldSelf", old);
                }
                Object result = evaluate(rule.getRule(), variables);
                if (!Boolean.TRUE.equals(result)) {
                    violations.add((path.isEmpty() ? "<root>" : path) + ": " + rule.getMessage() + "");
                }
            }
        }
    }

    private static Object evaluate(String rule, Map<String, Object> variables) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(rule).getAst();
            return RUNTIME.createProgram(ast).eval(variables);
        } catch (Exception e) {
            // the API server reports a rule that fails to evaluate as a violation too
            return e;
        }
    }

    /** JSON as CEL sees it: every integer an int (64-bit), every other number a double. */
    private static Object cel(Object json) {
        if (json instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, cel(v)));
            return copy;
        }
        if (json instanceof List<?> list) {
            return list.stream().map(CrdSchemaCheck::cel).toList();
        }
        if (json instanceof Integer || json instanceof Long) {
            return ((Number) json).longValue();
        }
        if (json instanceof Number number) {
            return number.doubleValue();
        }
        return json;
    }
}

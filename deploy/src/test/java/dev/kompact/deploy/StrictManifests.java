package dev.kompact.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Rendered YAML read into the fabric8 model, strictly: the model keeps fields it does not know in
 * {@code additionalProperties} instead of failing, so every object of the tree is walked and any such field, or a
 * kind with no model class at all, is an error. Kompact's own kinds are read with unknown fields failing.
 */
final class StrictManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        SERIALIZATION.registerKubernetesResource(OptimizationPolicy.class);
        SERIALIZATION.registerKubernetesResource(RebalancePlanResource.class);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private StrictManifests() {}

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> manifests = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            JsonNode tree = readTree(document);
            String where = tree.path("kind").asText() + " "
                    + tree.path("metadata").path("name").asText();
            KubernetesResource resource = SERIALIZATION.unmarshal(document, KubernetesResource.class);
            if (!(resource instanceof HasMetadata manifest) || resource instanceof GenericKubernetesResource) {
                problems.add(where + ": no fabric8 model class for "
                        + tree.path("apiVersion").asText());
                continue;
            }
            if (manifest.getClass().getPackageName().startsWith("dev.kompact")) {
                strictlyKompact(tree, manifest.getClass(), where, problems);
            } else {
                unknownFields(manifest, where, problems);
            }
            manifests.add(manifest);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "rendered manifests do not match the Kubernetes model:\n  " + String.join("\n  ", problems));
        }
        return manifests;
    }

    private static JsonNode readTree(String document) {
        try {
            return YAML.readTree(document);
        } catch (Exception e) {
            throw new AssertionError("not YAML: " + e.getMessage() + "\n" + document, e);
        }
    }

    private static void strictlyKompact(JsonNode tree, Class<?> type, String where, List<String> problems) {
        try {
            STRICT.treeToValue(tree, type);
        } catch (Exception e) {
            problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                unknownFields(field, path + "." + decapitalize(getter.getName().substring(3)), problems);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}

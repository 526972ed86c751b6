package dev.kompact.executor.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The nodes, pods, PodDisruptionBudgets and volumes in what kubectl and the API write, in every shape people keep
 * them: a {@code List} or a typed list ({@code NodeList}, {@code PodList}, ...), whose items may lack {@code kind}
 * (the API leaves it out of typed lists), JSON or YAML, one document or several concatenated, and a {@code kubectl
 * cluster-info dump} on stdout (JSON documents between container logs) or as a directory of files.
 */
final class KubectlObjects {

    /** {@code kubectl cluster-info dump} writes each container's log between these lines, among its documents. */
    private static final Pattern CONTAINER_LOG =
            Pattern.compile("(?ms)^==== START logs for container .*? ====$.*?^==== END logs for container .*? ====$");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    final List<Node> nodes = new ArrayList<>();
    final List<Pod> pods = new ArrayList<>();
    final List<PodDisruptionBudget> budgets = new ArrayList<>();
    final List<PersistentVolume> volumes = new ArrayList<>();
    final List<PersistentVolumeClaim> claims = new ArrayList<>();
    /** Objects of kinds a snapshot does not use, by kind: they are counted, not refused. */
    final Map<String, Integer> ignored = new TreeMap<>();

    /** Reads a file, or every JSON and YAML file under a directory (a cluster-info dump's logs are skipped). */
    void addPath(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile)
                        .filter(KubectlObjects::isDocument)
                        .sorted()
                        .toList()) {
                    add(Files.readString(file), file.toString());
                }
            }
        } else {
            add(Files.readString(path), path.toString());
        }
    }

    private static boolean isDocument(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** @throws IllegalArgumentException naming {@code source} when it is empty or neither JSON nor YAML */
    void add(String text, String source) {
        String documents = CONTAINER_LOG.matcher(text).replaceAll("").strip();
        if (documents.isEmpty()) {
            throw new IllegalArgumentException(source + " is empty");
        }
        boolean json = documents.startsWith("{") || documents.startsWith("[");
        try (MappingIterator<JsonNode> roots =
                (json ? JSON : YAML).readerFor(JsonNode.class).readValues(documents)) {
            while (roots.hasNextValue()) {
                collect(roots.nextValue(), null);
            }
        } catch (IOException | RuntimeException e) {
            String why = e instanceof JsonProcessingException parse ? parse.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(
                    source + " is not Kubernetes " + (json ? "JSON" : "YAML") + ": " + firstLine(why), e);
        }
    }

    int count() {
        return nodes.size() + pods.size() + budgets.size() + volumes.size() + claims.size();
    }

    private void collect(JsonNode object, String listKind) {
        if (object == null || object.isNull() || object.isMissingNode()) {
            return;
        }
        if (object.isArray()) {
            object.forEach(item -> collect(item, listKind));
            return;
        }
        if (!object.isObject()) {
            throw new IllegalArgumentException("expected a Kubernetes object, found " + object.getNodeType());
        }
        String kind = object.path("kind").isTextual() ? object.get("kind").asText() : listKind;
        if (object.path("items").isArray() && (kind == null || kind.endsWith("List"))) {
            // a typed list's items are of its kind; a plain List's items say theirs, or are known by their shape
            String itemKind = kind == null || kind.equals("List") ? null : kind.substring(0, kind.length() - 4);
            object.get("items").forEach(item -> collect(item, itemKind));
            return;
        }
        if (kind == null) {
            kind = kindByShape(object);
        }
        switch (kind) {
            case "Node" -> nodes.add(as(object, "v1", kind, Node.class));
            case "Pod" -> pods.add(as(object, "v1", kind, Pod.class));
            case "PodDisruptionBudget" -> budgets.add(as(object, "policy/v1", kind, PodDisruptionBudget.class));
            case "PersistentVolume" -> volumes.add(as(object, "v1", kind, PersistentVolume.class));
            case "PersistentVolumeClaim" -> claims.add(as(object, "v1", kind, PersistentVolumeClaim.class));
            default -> ignored.merge(kind, 1, Integer::sum);
        }
    }

    /** What an item without {@code kind} in a plain List is, from the fields only that kind has. */
    private static String kindByShape(JsonNode object) {
        JsonNode spec = object.path("spec");
        if (spec.has("containers")) {
            return "Pod";
        }
        if (spec.has("providerID") || object.path("status").has("nodeInfo")) {
            return "Node";
        }
        if (spec.has("minAvailable") || spec.has("maxUnavailable")) {
            return "PodDisruptionBudget";
        }
        if (spec.has("accessModes") && spec.has("resources")) {
            return "PersistentVolumeClaim";
        }
        if (spec.has("capacity")) {
            return "PersistentVolume";
        }
        return "object without kind";
    }

    private static <T> T as(JsonNode object, String apiVersion, String kind, Class<T> type) {
        ObjectNode typed = ((ObjectNode) object.deepCopy()).put("kind", kind);
        if (!typed.has("apiVersion")) {
            typed.put("apiVersion", apiVersion);
        }
        return SERIALIZATION.convertValue(typed, type);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}

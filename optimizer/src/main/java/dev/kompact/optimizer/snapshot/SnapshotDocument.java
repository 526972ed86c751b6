package dev.kompact.optimizer.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The {@code ClusterSnapshot} JSON document as written, field names following Kubernetes. Quantities stay text here
 * ("250m", "2Gi"); {@link SnapshotValidator} turns a document into the model and names every problem by JSON path.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "nodes", "pods", "podDisruptionBudgets", "offerings"})
public record SnapshotDocument(
        String apiVersion,
        String kind,
        Metadata metadata,
        List<NodeDocument> nodes,
        List<PodDocument> pods,
        List<PodDisruptionBudgetDocument> podDisruptionBudgets,
        List<OfferingDocument> offerings) {

    public static final String API_VERSION = "kompact.dev/v1alpha1";
    public static final String KIND = "ClusterSnapshot";

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Metadata(String name, String namespace, String createdAt) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record NodeDocument(
            String name,
            String instanceType,
            String zone,
            String capacityType,
            BigDecimal pricePerHour,
            Map<String, String> labels,
            Map<String, String> annotations,
            List<TaintDocument> taints,
            Map<String, String> allocatable,
            Boolean unschedulable) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TaintDocument(String key, String value, String effect) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"namespace", "name", "node", "owner", "priority", "requests", "usage"})
    public record PodDocument(
            String namespace,
            String name,
            @JsonInclude(JsonInclude.Include.ALWAYS) String node,
            OwnerDocument owner,
            Map<String, String> requests,
            Map<String, String> usage,
            Integer priority,
            Map<String, String> labels,
            Map<String, String> annotations,
            Map<String, String> nodeSelector,
            AffinityDocument affinity,
            List<TolerationDocument> tolerations,
            List<TopologySpreadConstraintDocument> topologySpreadConstraints,
            List<VolumeDocument> volumes,
            String volumeZone) {

        /** A pod without (anti-)affinity to other pods, spread constraints, volumes or volume zone. */
        public PodDocument(
                String namespace,
                String name,
                String node,
                OwnerDocument owner,
                Map<String, String> requests,
                Map<String, String> usage,
                Integer priority,
                Map<String, String> labels,
                Map<String, String> annotations,
                Map<String, String> nodeSelector,
                AffinityDocument affinity,
                List<TolerationDocument> tolerations) {
            this(
                    namespace,
                    name,
                    node,
                    owner,
                    requests,
                    usage,
                    priority,
                    labels,
                    annotations,
                    nodeSelector,
                    affinity,
                    tolerations,
                    null,
                    null,
                    null);
        }
    }

    public record OwnerDocument(String kind, String name) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record AffinityDocument(
            NodeAffinityDocument nodeAffinity, PodAffinityDocument podAffinity, PodAffinityDocument podAntiAffinity) {

        public AffinityDocument(NodeAffinityDocument nodeAffinity) {
            this(nodeAffinity, null, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record NodeAffinityDocument(
            NodeSelectorDocument requiredDuringSchedulingIgnoredDuringExecution,
            List<PreferredSchedulingTermDocument> preferredDuringSchedulingIgnoredDuringExecution) {

        public NodeAffinityDocument(NodeSelectorDocument requiredDuringSchedulingIgnoredDuringExecution) {
            this(requiredDuringSchedulingIgnoredDuringExecution, null);
        }
    }

    public record PreferredSchedulingTermDocument(Integer weight, NodeSelectorTermDocument preference) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record PodAffinityDocument(
            List<PodAffinityTermDocument> requiredDuringSchedulingIgnoredDuringExecution,
            List<WeightedPodAffinityTermDocument> preferredDuringSchedulingIgnoredDuringExecution) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodAffinityTermDocument(
            LabelSelectorDocument labelSelector,
            List<String> namespaces,
            LabelSelectorDocument namespaceSelector,
            String topologyKey) {}

    public record WeightedPodAffinityTermDocument(Integer weight, PodAffinityTermDocument podAffinityTerm) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TopologySpreadConstraintDocument(
            Integer maxSkew, String topologyKey, String whenUnsatisfiable, LabelSelectorDocument labelSelector) {}

    /** Only what decides mobility is read; the other volume sources (configMap, secret...) are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VolumeDocument(
            String name,
            Map<String, Object> emptyDir,
            Map<String, Object> hostPath,
            Map<String, Object> persistentVolumeClaim) {}

    public record NodeSelectorDocument(List<NodeSelectorTermDocument> nodeSelectorTerms) {}

    public record NodeSelectorTermDocument(List<RequirementDocument> matchExpressions) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record RequirementDocument(String key, String operator, List<String> values) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TolerationDocument(
            String key, String operator, String value, String effect, Long tolerationSeconds) {}

    public record PodDisruptionBudgetDocument(ObjectMeta metadata, PdbSpec spec, PdbStatus status) {}

    public record ObjectMeta(String namespace, String name) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record PdbSpec(LabelSelectorDocument selector, String minAvailable, String maxUnavailable) {}

    public record PdbStatus(Integer disruptionsAllowed) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record LabelSelectorDocument(Map<String, String> matchLabels, List<RequirementDocument> matchExpressions) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record OfferingDocument(
            String instanceType,
            String zone,
            String capacityType,
            BigDecimal pricePerHour,
            Map<String, String> allocatable,
            Map<String, String> labels) {}
}

package dev.kompact.executor.cluster;

import dev.kompact.executor.crd.KompactApi;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterApi} on fabric8. Pods are filtered by node on the client, and nodes are changed with JSON patches
 * ({@code edit}): both work on every API server, including the test one.
 */
public final class Fabric8ClusterApi implements ClusterApi, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fabric8ClusterApi.class);
    private static final String COMPONENT = "kompact-controller";
    private static final String EVENT_NAMESPACE_OF_CLUSTER_OBJECTS = "default";
    private static final int STATUS_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final KubernetesClient evictions;

    public Fabric8ClusterApi(KubernetesClient client) {
        this.client = client;
        // the client retries a 429 on its own for some 20 s; the executor's back-off, persisted and bounded, is the one
        // that should decide, so evictions go through a client that answers at once
        this.evictions = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
    }

    @Override
    public Optional<Node> node(String name) {
        return Optional.ofNullable(client.nodes().withName(name).get());
    }

    @Override
    public List<Node> nodes() {
        return client.nodes().list().getItems();
    }

    @Override
    public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(
                client.pods().inNamespace(namespace).withName(name).get());
    }

    @Override
    public List<Pod> podsOn(String nodeName) {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName()))
                .toList();
    }

    @Override
    public List<Pod> podsIn(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems();
    }

    @Override
    public List<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
        return client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(namespace)
                .list()
                .getItems();
    }

    @Override
    public void addTaint(String nodeName, Taint taint) {
        client.nodes().withName(nodeName).edit(node -> {
            List<Taint> taints = node.getSpec().getTaints() == null
                    ? new ArrayList<>()
                    : new ArrayList<>(node.getSpec().getTaints());
            if (taints.stream()
                    .noneMatch(t ->
                            t.getKey().equals(taint.getKey()) && t.getEffect().equals(taint.getEffect()))) {
                taints.add(taint);
            }
            node.getSpec().setTaints(taints);
            return node;
        });
    }

    @Override
    public void removeTaint(String nodeName, String key) {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null || !Nodes.hasTaint(node, key)) {
            return;
        }
        client.nodes().withName(nodeName).edit(n -> {
            n.getSpec()
                    .setTaints(new ArrayList<>(n.getSpec().getTaints().stream()
                            .filter(t -> !key.equals(t.getKey()))
                            .toList()));
            return n;
        });
    }

    @Override
    public void cordon(String nodeName) {
        client.nodes().withName(nodeName).edit(node -> {
            if (!Nodes.isCordoned(node)) {
                Map<String, String> annotations = node.getMetadata().getAnnotations() == null
                        ? new HashMap<>()
                        : new HashMap<>(node.getMetadata().getAnnotations());
                annotations.put(KompactApi.CORDONED, "true");
                node.getMetadata().setAnnotations(annotations);
                node.getSpec().setUnschedulable(true);
            }
            return node;
        });
    }

    @Override
    public void uncordon(String nodeName) {
        Node node = client.nodes().withName(nodeName).get();
        if (node == null || !Nodes.isCordonedByKompact(node)) {
            return;
        }
        client.nodes().withName(nodeName).edit(n -> {
            n.getMetadata().getAnnotations().remove(KompactApi.CORDONED);
            n.getSpec().setUnschedulable(null);
            return n;
        });
    }

    @Override
    public EvictionResult evict(String namespace, String name, String uid) {
        try {
            boolean evicted = evictions
                    .pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .evict(new EvictionBuilder()
                            .withNewMetadata()
                            .withNamespace(namespace)
                            .withName(name)
                            .endMetadata()
                            .withDeleteOptions(new DeleteOptionsBuilder()
                                    .withNewPreconditions()
                                    .withUid(uid)
                                    .endPreconditions()
                                    .build())
                            .build());
            return evicted ? EvictionResult.EVICTED : EvictionResult.BLOCKED_BY_BUDGET;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return EvictionResult.GONE;
            }
            throw e;
        }
    }

    @Override
    public Pod createPod(Pod pod) {
        String namespace = pod.getMetadata().getNamespace();
        try {
            return client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            return client.pods()
                    .inNamespace(namespace)
                    .withName(pod.getMetadata().getName())
                    .require();
        }
    }

    @Override
    public void annotatePod(String namespace, String name, String key, String value) {
        editPod(namespace, name, p -> {
            Map<String, String> annotations = p.getMetadata().getAnnotations() == null
                    ? new HashMap<>()
                    : new HashMap<>(p.getMetadata().getAnnotations());
            annotations.put(key, value);
            p.getMetadata().setAnnotations(annotations);
            return p;
        });
    }

    @Override
    public void adoptPod(String namespace, String name, Map<String, String> labels, OwnerReference controller) {
        editPod(namespace, name, p -> {
            p.getMetadata().setLabels(new HashMap<>(labels));
            p.getMetadata()
                    .setOwnerReferences(controller == null ? new ArrayList<>() : new ArrayList<>(List.of(controller)));
            return p;
        });
    }

    @Override
    public void setPodCondition(String namespace, String name, PodCondition condition) {
        // the kubelet writes the same status often: a write that lost the race (409) is made again on the new one
        for (int attempt = 1; ; attempt++) {
            if (client.pods().inNamespace(namespace).withName(name).get() == null) {
                return;
            }
            try {
                client.pods().inNamespace(namespace).withName(name).editStatus(p -> withCondition(p, condition));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == STATUS_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Pod withCondition(Pod pod, PodCondition condition) {
        List<PodCondition> conditions = pod.getStatus().getConditions() == null
                ? new ArrayList<>()
                : new ArrayList<>(pod.getStatus().getConditions().stream()
                        .filter(c -> !condition.getType().equals(c.getType()))
                        .toList());
        conditions.add(condition);
        pod.getStatus().setConditions(conditions);
        return pod;
    }

    @Override
    public boolean deletePod(String namespace, String name, String uid) {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"preconditions\":{\"uid\":\"" + uid + "\"}}";
        try {
            // the DSL's delete knows a resourceVersion precondition only; the UID is what names this very pod
            return client.raw(
                            client.getMasterUrl() + "api/v1/namespaces/" + namespace + "/pods/" + name, "DELETE", body)
                    != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    private void editPod(String namespace, String name, java.util.function.UnaryOperator<Pod> change) {
        if (client.pods().inNamespace(namespace).withName(name).get() == null) {
            return;
        }
        client.pods().inNamespace(namespace).withName(name).edit(change);
    }

    @Override
    public void deleteNode(String name) {
        client.nodes().withName(name).delete();
    }

    @Override
    public void recordEvent(ObjectReference about, String reason, String message, boolean warning) {
        String namespace = about.getNamespace() == null ? EVENT_NAMESPACE_OF_CLUSTER_OBJECTS : about.getNamespace();
        String now = Instant.now().toString();
        try {
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withNamespace(namespace)
                            .withName(about.getName() + "."
                                    + UUID.randomUUID().toString().substring(0, 8))
                            .endMetadata()
                            .withInvolvedObject(about)
                            .withReason(reason)
                            .withMessage(message)
                            .withType(warning ? "Warning" : "Normal")
                            .withFirstTimestamp(now)
                            .withLastTimestamp(now)
                            .withCount(1)
                            .withNewSource()
                            .withComponent(COMPONENT)
                            .endSource()
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            log.warn(
                    "could not publish event {} on {} {}: {}",
                    reason,
                    about.getKind(),
                    about.getName(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        evictions.close();
    }
}

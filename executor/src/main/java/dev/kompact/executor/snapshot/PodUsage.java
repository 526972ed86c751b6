package dev.kompact.executor.snapshot;

import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceNames;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What pods use, as {@code metrics.k8s.io} (metrics-server) reports it. Many clusters do not serve that API, and
 * planning needs only requests, so an unanswered query leaves usage empty rather than failing the snapshot.
 */
public final class PodUsage {

    private static final Logger log = LoggerFactory.getLogger(PodUsage.class);
    /** What the optimizer weighs usage in; metrics-server may report more (swap). */
    private static final Set<String> RESOURCES = Set.of(ResourceNames.CPU, ResourceNames.MEMORY);

    private final KubernetesClient client;
    /** Set while the API does not answer, so that a controller asking every interval says so once per outage. */
    private final AtomicBoolean unavailable = new AtomicBoolean();

    public PodUsage(KubernetesClient client) {
        this.client = client;
    }

    /** Usage by pod key ({@code namespace/name}), summed over the pod's containers; empty without metrics. */
    public Map<PodKey, Map<String, BigDecimal>> byPod() {
        PodMetricsList metrics;
        try {
            metrics = client.top().pods().metrics();
        } catch (KubernetesClientException e) {
            if (!unavailable.getAndSet(true)) {
                logUnavailable(e);
            }
            return Map.of();
        }
        if (unavailable.getAndSet(false)) {
            log.info("metrics.k8s.io answers again: pods' usage is back in the snapshot");
        }
        Map<PodKey, Map<String, BigDecimal>> usage = new HashMap<>();
        for (PodMetrics pod : orEmpty(metrics.getItems())) {
            usage.put(
                    new PodKey(
                            pod.getMetadata().getNamespace(), pod.getMetadata().getName()),
                    sum(pod));
        }
        return usage;
    }

    private static Map<String, BigDecimal> sum(PodMetrics pod) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (ContainerMetrics container : orEmpty(pod.getContainers())) {
            if (container.getUsage() != null) {
                container.getUsage().forEach((name, q) -> {
                    if (RESOURCES.contains(name)) {
                        sum.merge(name, q.getNumericalAmount(), BigDecimal::add);
                    }
                });
            }
        }
        return sum;
    }

    private static void logUnavailable(KubernetesClientException e) {
        if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == HttpURLConnection.HTTP_FORBIDDEN) {
            log.info(
                    "the cluster does not serve metrics.k8s.io to us (HTTP {}): snapshots carry requests but no usage",
                    e.getCode());
        } else {
            log.warn(
                    "metrics.k8s.io did not answer ({}): snapshots carry requests but no usage until it does",
                    e.getMessage());
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

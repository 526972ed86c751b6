package dev.kompact.executor.migration;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The agents as the chart deploys them: one pod of a DaemonSet per node, on the host network, its gRPC port named
 * {@value #PORT_NAME}. Looked up for every question, so an agent restarted since on a new address is found.
 */
public final class DaemonSetAgents implements AgentDirectory {
    static final String PORT_NAME = "grpc";

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, String> selector;

    /** @param selector the labels of the agents' pods (the chart's {@code kompact.agentSelector}) */
    public DaemonSetAgents(KubernetesClient client, String namespace, Map<String, String> selector) {
        this.client = client;
        this.namespace = namespace;
        this.selector = Map.copyOf(selector);
    }

    @Override
    public Optional<String> address(String node) {
        return client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(DaemonSetAgents::ready)
                .findFirst()
                .flatMap(p -> port(p).map(port -> p.getStatus().getPodIP() + ":" + port));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getPodIP() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Optional<Integer> port(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
                .filter(p -> PORT_NAME.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst();
    }
}

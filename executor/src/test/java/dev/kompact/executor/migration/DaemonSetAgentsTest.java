package dev.kompact.executor.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agents found from their DaemonSet's pods, as the chart deploys them. */
class DaemonSetAgentsTest {

    static final Map<String, String> SELECTOR = Map.of("app.kubernetes.io/component", "agent");

    TestCluster cluster;
    DaemonSetAgents agents;

    @BeforeEach
    void start() {
        cluster = new TestCluster(Duration.ofMillis(20));
        agents = new DaemonSetAgents(cluster.client(), "kompact", SELECTOR);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void findsTheReadyAgentOfANodeAtItsHostAddressAndGrpcPort() {
        agentPod("kompact", "agent-1", "node-1", "10.0.0.11", true, SELECTOR);

        assertThat(agents.address("node-1")).hasValue("10.0.0.11:7443");
    }

    @Test
    void findsNoAgentOnANodeWhoseAgentIsNotReadyOrIsAnotherReleasesOrNone() {
        agentPod("kompact", "agent-1", "node-1", "10.0.0.11", false, SELECTOR);
        agentPod("other", "agent-2", "node-2", "10.0.0.12", true, SELECTOR);
        agentPod("kompact", "proxy-3", "node-3", "10.0.0.13", true, Map.of("app", "proxy"));

        assertThat(agents.address("node-1")).isEmpty();
        assertThat(agents.address("node-2")).isEmpty();
        assertThat(agents.address("node-3")).isEmpty();
        assertThat(agents.address("node-4")).isEmpty();
    }

    private void agentPod(
            String namespace, String name, String node, String ip, boolean ready, Map<String, String> labels) {
        cluster.client()
                .pods()
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withNamespace(namespace)
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(node)
                        .withHostNetwork(true)
                        .addNewContainer()
                        .withName("agent")
                        .withImage("kompact")
                        .addNewPort()
                        .withName("grpc")
                        .withContainerPort(7443)
                        .endPort()
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .withPodIP(ip)
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
    }
}

package dev.kompact.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.Issuer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code auto} renders, decided by the API versions the cluster's discovery serves at install time. */
class ApiVersionsTest {

    @Test
    void withThePrometheusOperatorsApiMonitoringIsInstalled() {
        try (var cluster = new DiscoveringCluster(ServiceMonitor.class, PrometheusRule.class)) {
            cluster.install(Chart.withDefaults());

            assertThat(names(cluster, ServiceMonitor.class)).containsExactly("kompact-controller");
            assertThat(names(cluster, PrometheusRule.class)).containsExactly("kompact");
        }
    }

    @Test
    void withoutThePrometheusOperatorsApiNoMonitoringResourceIsInstalled() {
        try (var cluster = new DiscoveringCluster()) {
            cluster.install(Chart.withDefaults());

            assertThat(names(cluster, ServiceMonitor.class)).isEmpty();
            assertThat(names(cluster, PrometheusRule.class)).isEmpty();
            assertThat(cluster.client()
                            .apps()
                            .deployments()
                            .inNamespace(Chart.NAMESPACE)
                            .list()
                            .getItems())
                    .as("the rest of the chart is installed")
                    .hasSize(1);
        }
    }

    @Test
    void monitoringSwitchedOffStaysOffThoughTheApiIsServed() {
        try (var cluster = new DiscoveringCluster(ServiceMonitor.class, PrometheusRule.class)) {
            cluster.install(Chart.withDefaults()
                    .set("monitoring.serviceMonitor", "false")
                    .set("monitoring.prometheusRule", "false"));

            assertThat(names(cluster, ServiceMonitor.class)).isEmpty();
            assertThat(names(cluster, PrometheusRule.class)).isEmpty();
        }
    }

    @Test
    void withCertManagersApiTheAgentsGetTheirCertificatesFromIt() {
        try (var cluster = new DiscoveringCluster(Issuer.class, Certificate.class)) {
            cluster.install(Chart.withDefaults().set("liveMigration.enabled", "true"));

            assertThat(names(cluster, Issuer.class)).containsExactlyInAnyOrder("kompact-selfsigned", "kompact-ca");
            assertThat(names(cluster, Certificate.class)).containsExactlyInAnyOrder("kompact-ca", "kompact-controller");
            DaemonSet agents = cluster.client()
                    .apps()
                    .daemonSets()
                    .inNamespace(Chart.NAMESPACE)
                    .withName("kompact-agent")
                    .get();
            assertThat(agents.getSpec().getTemplate().getSpec().getVolumes())
                    .filteredOn(v -> v.getCsi() != null)
                    .singleElement()
                    .satisfies(v -> assertThat(v.getCsi().getDriver()).isEqualTo("csi.cert-manager.io"));
        }
    }

    @Test
    void withoutCertManagersApiTheControllerSignsTheAgentsCertificates() {
        try (var cluster = new DiscoveringCluster()) {
            cluster.install(Chart.withDefaults().set("liveMigration.enabled", "true"));

            DaemonSet agents = cluster.client()
                    .apps()
                    .daemonSets()
                    .inNamespace(Chart.NAMESPACE)
                    .withName("kompact-agent")
                    .get();
            assertThat(agents.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getArgs())
                    .contains("--enrol");
            assertThat(cluster.client()
                            .rbac()
                            .clusterRoles()
                            .withName("kompact-signer")
                            .get())
                    .isNotNull();
        }
    }

    private static List<String> names(DiscoveringCluster cluster, Class<? extends HasMetadata> kind) {
        return cluster.client().resources(kind).inNamespace(Chart.NAMESPACE).list().getItems().stream()
                .map(m -> m.getMetadata().getName())
                .toList();
    }
}

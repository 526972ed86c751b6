package dev.kompact.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.kompact.executor.controller.ControllerSettings;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.PolicyMode;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.Issuer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart rendered and linted by a real Helm, with default values and with each option on. */
class ChartTest {

    static String kindAndName(HasMetadata m) {
        return m.getKind() + "/" + m.getMetadata().getName();
    }

    static PodSpec controllerPod(List<HasMetadata> manifests) {
        return Chart.only(manifests, Deployment.class).getSpec().getTemplate().getSpec();
    }

    @Test
    void lintsCleanlyInStrictMode() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultInstallIsTheControllerItsRbacCrdsAndADryRunPolicy() {
        // the policy is a post-install hook, which helm template (as helm-java runs it) leaves out: rendered plain here
        List<HasMetadata> manifests =
                Chart.withDefaults().set("policy.hook", "false").render();

        assertThat(manifests)
                .extracting(ChartTest::kindAndName)
                .containsExactlyInAnyOrder(
                        "CustomResourceDefinition/optimizationpolicies.kompact.dev",
                        "CustomResourceDefinition/rebalanceplans.kompact.dev",
                        "ServiceAccount/kompact-controller",
                        "ClusterRole/kompact-controller",
                        "ClusterRoleBinding/kompact-controller",
                        "Role/kompact-leader-election",
                        "RoleBinding/kompact-leader-election",
                        "ClusterRole/kompact-view",
                        "Deployment/kompact-controller",
                        "PodDisruptionBudget/kompact-controller",
                        "Service/kompact-controller",
                        "ConfigMap/kompact-dashboard",
                        "OptimizationPolicy/default");
        OptimizationPolicy policy = Chart.only(manifests, OptimizationPolicy.class);
        assertThat(policy.getSpec().mode).isEqualTo(PolicyMode.DryRun);
        assertThat(policy.getMetadata().getName())
                .isEqualTo(
                        ControllerSettings.forPolicy("default", Chart.NAMESPACE).policyName());
    }

    @Test
    void policyIsAHookSoThatItsCrdExistsBeforeIt() {
        assertThat(Chart.all(Chart.withDefaults().render(), OptimizationPolicy.class))
                .isEmpty();
        assertThat(Chart.all(
                        Chart.withDefaults()
                                .set("policy.create", "false")
                                .set("policy.hook", "false")
                                .render(),
                        OptimizationPolicy.class))
                .isEmpty();
    }

    @Test
    void controllerRunsTwoLeaderElectedRestrictedReplicasOnTheCodesPorts() {
        List<HasMetadata> manifests = Chart.withDefaults().render();
        Deployment deployment = Chart.only(manifests, Deployment.class);
        PodSpec pod = controllerPod(manifests);
        Container controller = pod.getContainers().get(0);
        // the ports and the Lease the controller itself uses
        ControllerSettings code = ControllerSettings.forPolicy("default", Chart.NAMESPACE);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(Chart.only(manifests, PodDisruptionBudget.class)
                        .getSpec()
                        .getMaxUnavailable()
                        .getIntVal())
                .isEqualTo(1);
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(pod.getTopologySpreadConstraints())
                .extracting(c -> c.getTopologyKey())
                .containsExactly("topology.kubernetes.io/zone");
        assertThat(pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                .extracting(t -> t.getTopologyKey())
                .containsExactly("kubernetes.io/hostname");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(WellKnownLabels.KOMPACT_DO_NOT_DISRUPT, "true");

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(controller.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(controller.getSecurityContext().getAllowPrivilegeEscalation())
                .isFalse();
        assertThat(controller.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

        Map<String, Integer> ports =
                controller.getPorts().stream().collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()));
        assertThat(ports).containsEntry("metrics", code.metricsPort()).containsEntry("health", code.healthPort());
        assertThat(controller.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(controller.getLivenessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo("health");
        assertThat(controller.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

        assertThat(controller.getArgs())
                .containsExactly("controller", "--policy=default", "--lease-namespace=$(POD_NAMESPACE)");
        assertThat(controller.getEnv())
                .filteredOn(e -> e.getValueFrom() != null)
                .extracting(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath())
                .contains(
                        org.assertj.core.groups.Tuple.tuple("POD_NAME", "metadata.name"),
                        org.assertj.core.groups.Tuple.tuple("POD_NAMESPACE", "metadata.namespace"));
    }

    @Test
    void shipsTheCrdsTheBuildGeneratesKeptOnUninstall() throws Exception {
        List<CustomResourceDefinition> crds = Chart.all(Chart.withDefaults().render(), CustomResourceDefinition.class);
        KubernetesSerialization serialization = new KubernetesSerialization();

        for (CustomResourceDefinition rendered : crds) {
            String file = rendered.getMetadata().getName() + "-v1.yml";
            try (InputStream generated = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
                assertThat(generated)
                        .as(file + " generated by the executor's build")
                        .isNotNull();
                CustomResourceDefinition code = serialization.unmarshal(generated, CustomResourceDefinition.class);
                assertThat(rendered.getSpec())
                        .as(
                                "%s in deploy/helm/kompact/files/crds differs from the one the code generates: copy"
                                        + " executor/target/classes/META-INF/fabric8/%s over it",
                                file, file)
                        .isEqualTo(code.getSpec());
            }
            assertThat(rendered.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(rendered.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                    .isNotEmpty();
        }
        try (Stream<Path> shipped = Files.list(Chart.DIR.resolve("files/crds"))) {
            assertThat(shipped).hasSize(crds.size());
        }
    }

    @Test
    void ec2BlockBecomesTheControllersFlags() {
        List<HasMetadata> manifests = Chart.withDefaults()
                .set("ec2.enabled", "true")
                .set("ec2.clusterName", "prod")
                .set("ec2.region", "us-east-1")
                .set("ec2.launchTemplate", "lt-0abc:3")
                .set("ec2.subnets[0].zone", "us-east-1a")
                .set("ec2.subnets[0].subnet", "subnet-01")
                .set("ec2.subnets[1].zone", "us-east-1b")
                .set("ec2.subnets[1].subnet", "subnet-02")
                .set("ec2.interruptionQueue", "https://sqs.us-east-1.amazonaws.com/1/q")
                .set("policy.mode", "Auto")
                .set("policy.hook", "false")
                .render();
        Container controller = controllerPod(manifests).getContainers().get(0);

        assertThat(controller.getArgs())
                .containsSubsequence(
                        "--cluster-name=prod",
                        "--aws-region=us-east-1",
                        "--launch-template=lt-0abc:3",
                        "--subnet=us-east-1a=subnet-01",
                        "--subnet=us-east-1b=subnet-02",
                        "--catalog-refresh=1h",
                        "--interruption-queue=https://sqs.us-east-1.amazonaws.com/1/q");
        assertThat(Chart.only(manifests, OptimizationPolicy.class).getSpec().mode)
                .isEqualTo(PolicyMode.Auto);
    }

    @Test
    void ec2WithoutAClusterNameFailsNamingIt() {
        assertThatThrownBy(() -> Chart.withDefaults()
                        .set("ec2.enabled", "true")
                        .set("ec2.region", "us-east-1")
                        .set("ec2.launchTemplate", "lt-0abc")
                        .yaml())
                .hasMessageContaining("ec2.enabled needs ec2.clusterName");
    }

    @Test
    void autoModeWithoutEc2FailsSayingWhy() {
        assertThatThrownBy(() -> Chart.withDefaults().set("policy.mode", "Auto").yaml())
                .hasMessageContaining("policy.mode=Auto needs ec2.enabled=true");
    }

    @Test
    void schemaRejectsAMisspeltKeyAndAWrongType() {
        assertThatThrownBy(() ->
                        Chart.withDefaults().set("controler.replicas", "3").yaml())
                .hasMessageContaining("controler");
        assertThatThrownBy(() ->
                        Chart.withDefaults().set("policy.mode", "Sometimes").yaml())
                .hasMessageContaining("policy.mode");
        assertThatThrownBy(() ->
                        Chart.withDefaults().set("controller.replicas", "two").yaml())
                .hasMessageContaining("controller.replicas");
    }

    @Test
    void liveMigrationIsOffByDefaultAndOnDeploysPrivilegedAgentsWithPerPodCertificates() {
        assertThat(Chart.all(Chart.withDefaults().render(), DaemonSet.class)).isEmpty();

        List<HasMetadata> manifests = Chart.withDefaults()
                .set("liveMigration.enabled", "true")
                .set("certificates.mode", "cert-manager")
                .render();
        PodSpec agent =
                Chart.only(manifests, DaemonSet.class).getSpec().getTemplate().getSpec();
        Container container = agent.getContainers().get(0);

        assertThat(agent.getHostPID()).isTrue();
        assertThat(agent.getHostNetwork()).isTrue();
        assertThat(agent.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(agent.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
        });
        assertThat(agent.getNodeSelector()).containsEntry("kompact.dev/agent", "true");
        assertThat(agent.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(300L);
        assertThat(agent.getAutomountServiceAccountToken()).isFalse();
        // the agents call no Kubernetes API: their account is bound to no rule at all
        assertThat(agent.getServiceAccountName()).isEqualTo("kompact-agent");
        assertThat(new RenderedRbac(manifests, "kompact-agent", Chart.NAMESPACE).isEmpty())
                .isTrue();
        assertThat(new RenderedRbac(manifests, "kompact-controller", Chart.NAMESPACE).isEmpty())
                .isFalse();
        assertThat(agent.getInitContainers()).extracting(Container::getName).containsExactly("node-check");
        assertThat(container.getSecurityContext().getPrivileged()).isTrue();
        assertThat(container.getResources().getLimits()).doesNotContainKey("memory");
        // the image's launcher passes JAVA_OPTS to the JVM: C1 only, so a node's first migration runs no C2
        assertThat(container.getEnv())
                .filteredOn(e -> e.getName().equals("JAVA_OPTS"))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("-XX:TieredStopAtLevel=1"));
        assertThat(container.getVolumeMounts())
                .filteredOn(m -> m.getName().equals("state"))
                .singleElement()
                .satisfies(m -> assertThat(m.getMountPath())
                        .isEqualTo(agent.getVolumes().stream()
                                .filter(v -> v.getName().equals("state"))
                                .findFirst()
                                .orElseThrow()
                                .getHostPath()
                                .getPath()));
        assertThat(container.getVolumeMounts())
                .extracting(m -> m.getMountPath())
                .contains("/run");
        assertThat(agent.getVolumes())
                .filteredOn(v -> v.getName().equals("tls"))
                .singleElement()
                .satisfies(v -> assertThat(v.getCsi().getDriver()).isEqualTo("csi.cert-manager.io"));
        assertThat(container.getArgs())
                .containsSubsequence(
                        "agent",
                        "--node",
                        "$(NODE_NAME)",
                        "--state-dir",
                        "/var/lib/kompact",
                        "--tls-ca",
                        "/etc/kompact/tls/ca.crt");

        assertThat(Chart.all(manifests, Issuer.class))
                .extracting(i -> i.getMetadata().getName())
                .containsExactlyInAnyOrder("kompact-selfsigned", "kompact-ca");
        assertThat(Chart.all(manifests, Certificate.class))
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("kompact-ca", "kompact-controller");
        assertThat(Chart.named(manifests, ConfigMap.class, "kompact-node-check"))
                .get()
                .satisfies(c -> assertThat(c.getData().get("node-check.sh")).contains("criu check"));
    }

    @Test
    void liveMigrationOnInstallsTheRestoreRuntimeClassForAgentNodesOnly() {
        assertThat(Chart.all(Chart.withDefaults().render(), RuntimeClass.class)).isEmpty();

        List<HasMetadata> manifests = Chart.withDefaults()
                .set("liveMigration.enabled", "true")
                .set("agent.nodeSelector.pool", "migrating")
                .render();

        // the name the controller gives a handoff's target pod (executor TargetPods.RUNTIME_CLASS)
        assertThat(Chart.all(manifests, RuntimeClass.class)).singleElement().satisfies(runtime -> {
            assertThat(runtime.getMetadata().getName()).isEqualTo("kompact-restore");
            assertThat(runtime.getHandler()).isEqualTo("kompact-restore");
            assertThat(runtime.getScheduling().getNodeSelector())
                    .isEqualTo(Chart.only(manifests, DaemonSet.class)
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getNodeSelector())
                    .containsEntry("kompact.dev/agent", "true")
                    .containsEntry("pool", "migrating")
                    .containsEntry("kubernetes.io/os", "linux");
        });
    }

    @Test
    void builtinCertificatesHaveTheControllerSignEachAgentsRequestForItsOwnNode() {
        // helm template serves no cert-manager.io/v1, as a cluster without cert-manager would not: auto is builtin
        for (String mode : List.of("auto", "builtin")) {
            List<HasMetadata> manifests = Chart.withDefaults()
                    .set("liveMigration.enabled", "true")
                    .set("certificates.mode", mode)
                    .render();
            PodSpec agent = Chart.only(manifests, DaemonSet.class)
                    .getSpec()
                    .getTemplate()
                    .getSpec();
            Container controller = controllerPod(manifests).getContainers().get(0);

            assertThat(Chart.all(manifests, Issuer.class)).isEmpty();
            assertThat(Chart.all(manifests, Certificate.class)).isEmpty();
            assertThat(controller.getArgs())
                    .contains(
                            "--sign-agent-certificates",
                            "--ca-name=kompact-ca",
                            "--agent-service-account=kompact-agent",
                            "--certificate-lifetime=2160h",
                            "--tls-dir=/var/run/kompact/tls");
            assertThat(controller.getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .contains("/var/run/kompact/tls");
            // a bound token, so that the signer learns the requester's pod and node from the API server
            assertThat(agent.getAutomountServiceAccountToken()).isTrue();
            assertThat(agent.getContainers().get(0).getArgs())
                    .containsSubsequence("--tls-ca", "/etc/kompact/ca/ca.crt")
                    .containsSubsequence("--enrol", "--node-ip", "$(HOST_IP)");
            assertThat(agent.getVolumes())
                    .filteredOn(v -> v.getName().equals("ca"))
                    .singleElement()
                    .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("kompact-ca"));
            assertThat(agent.getVolumes())
                    .filteredOn(v -> v.getName().equals("tls"))
                    .singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir().getMedium()).isEqualTo("Memory"));
            assertThat(new RenderedRbac(manifests, "kompact-agent", Chart.NAMESPACE).isEmpty())
                    .isFalse();
        }
    }

    @Test
    void liveMigrationOnPassesTheControllerItsFlagAndTheRightToHandPodsOff() {
        assertThat(controllerPod(Chart.withDefaults().render())
                        .getContainers()
                        .get(0)
                        .getArgs())
                .doesNotContain("--live-migration");
        RenderedRbac off = new RenderedRbac(Chart.withDefaults().render(), "kompact-controller", Chart.NAMESPACE);
        assertThat(off.allows(ApiRequest.of("POST", "/api/v1/namespaces/shop/pods")))
                .isFalse();

        List<HasMetadata> manifests = Chart.withDefaults()
                .set("liveMigration.enabled", "true")
                .set("certificates.mode", "cert-manager")
                .render();
        RenderedRbac on = new RenderedRbac(manifests, "kompact-controller", Chart.NAMESPACE);

        assertThat(controllerPod(manifests).getContainers().get(0).getArgs())
                .contains(
                        "--live-migration",
                        "--agent-selector=app.kubernetes.io/name=kompact,app.kubernetes.io/instance=kompact,"
                                + "app.kubernetes.io/component=agent",
                        "--pod-network=bridge");
        assertThat(agentArgs(manifests)).contains("--pod-network=bridge");
        assertThat(List.of(
                        ApiRequest.of("POST", "/api/v1/namespaces/shop/pods"),
                        ApiRequest.of("PATCH", "/api/v1/namespaces/shop/pods/web-a-h1"),
                        ApiRequest.of("PATCH", "/api/v1/namespaces/shop/pods/web-a/status"),
                        ApiRequest.of("DELETE", "/api/v1/namespaces/shop/pods/web-a")))
                .allMatch(on::allows);
    }

    @Test
    void theVpcCniPodNetworkNeedsEc2AndReachesTheController() {
        assertThatThrownBy(() -> Chart.withDefaults()
                        .set("liveMigration.enabled", "true")
                        .set("liveMigration.podNetwork", "vpc-cni")
                        .render())
                .hasMessageContaining("liveMigration.podNetwork=vpc-cni needs ec2.enabled=true");
        assertThatThrownBy(() -> Chart.withDefaults()
                        .set("liveMigration.enabled", "true")
                        .set("liveMigration.podNetwork", "calico")
                        .render())
                .hasMessageContaining("podNetwork");

        List<HasMetadata> manifests = Chart.withDefaults()
                .set("liveMigration.enabled", "true")
                .set("liveMigration.podNetwork", "vpc-cni")
                .set("ec2.enabled", "true")
                .set("ec2.clusterName", "prod")
                .set("ec2.region", "us-east-1")
                .set("ec2.launchTemplate", "lt-0abc")
                .set("ec2.subnets[0].zone", "us-east-1a")
                .set("ec2.subnets[0].subnet", "subnet-0abc")
                .render();

        assertThat(controllerPod(manifests).getContainers().get(0).getArgs()).contains("--pod-network=vpc-cni");
        assertThat(agentArgs(manifests)).contains("--pod-network=vpc-cni");
    }

    private static List<String> agentArgs(List<HasMetadata> manifests) {
        return Chart.only(manifests, DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs();
    }

    @Test
    void monitoringRendersOnlyWhenAskedOrServed() {
        // helm template serves no monitoring.coreos.com/v1: "auto" renders nothing
        List<HasMetadata> defaults = Chart.withDefaults().render();
        assertThat(Chart.all(defaults, ServiceMonitor.class)).isEmpty();
        assertThat(Chart.all(defaults, PrometheusRule.class)).isEmpty();

        List<HasMetadata> asked = Chart.withDefaults()
                .set("monitoring.serviceMonitor", "true")
                .set("monitoring.prometheusRule", "true")
                .set("liveMigration.enabled", "true")
                .set("certificates.mode", "cert-manager")
                .render();

        assertThat(Chart.only(asked, ServiceMonitor.class).getSpec().getEndpoints())
                .singleElement()
                .satisfies(e -> assertThat(e.getPort()).isEqualTo("metrics"));
        assertThat(Chart.only(asked, PrometheusRule.class)
                        .getSpec()
                        .getGroups()
                        .get(0)
                        .getRules())
                .extracting(r -> r.getAlert())
                .containsExactlyInAnyOrder(
                        "KompactPlanFailed",
                        "KompactMigrationsFailing",
                        "KompactControllerNotLeading",
                        "KompactAgentsUnavailable",
                        "KompactCertificateExpiresSoon");
        assertThat(Chart.all(
                        Chart.withDefaults()
                                .set("monitoring.grafanaDashboard", "false")
                                .render(),
                        ConfigMap.class))
                .isEmpty();
    }
}

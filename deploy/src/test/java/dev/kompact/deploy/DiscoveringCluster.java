package dev.kompact.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test API server whose discovery serves the built-in kinds the chart renders and Kompact's, plus exactly the
 * extra kinds given (say cert-manager's or the Prometheus Operator's), and the chart installed on it with {@code helm
 * install}: Helm fills {@code .Capabilities.APIVersions} from that discovery as it does from a real cluster's.
 * (helm-java 0.0.15's template command has no {@code --api-versions}, and its dry-run output leaves out the
 * manifests; this is the path a real install takes anyway.) Discovery is a stand-in, as the CRUD mock serves none; Helm's release Secrets go to the CRUD store.
 */
final class DiscoveringCluster implements AutoCloseable {

    private static final List<Class<? extends HasMetadata>> BUILT_IN = List.of(
            ConfigMap.class,
            Secret.class,
            Service.class,
            ServiceAccount.class,
            Deployment.class,
            DaemonSet.class,
            PodDisruptionBudget.class,
            RuntimeClass.class,
            ClusterRole.class,
            ClusterRoleBinding.class,
            Role.class,
            RoleBinding.class,
            CustomResourceDefinition.class,
            // as on an upgrade, or with the CRDs applied first: the example policy maps to its kind
            OptimizationPolicy.class,
            RebalancePlanResource.class);

    private final Map<String, String> discovery = new HashMap<>();
    private final KubernetesMockServer server = new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), new DiscoveryStandIn(), false);

    private final KubernetesClient client;

    @SafeVarargs
    DiscoveringCluster(Class<? extends HasMetadata>... extraKinds) {
        server.init();
        client = server.createClient();
        Map<String, List<Class<? extends HasMetadata>>> byGroupVersion = new LinkedHashMap<>();
        List<Class<? extends HasMetadata>> kinds = new ArrayList<>(BUILT_IN);
        kinds.addAll(List.of(extraKinds));
        for (Class<? extends HasMetadata> kind : kinds) {
            byGroupVersion
                    .computeIfAbsent(HasMetadata.getApiVersion(kind), k -> new ArrayList<>())
                    .add(kind);
        }
        var groups = new APIGroupListBuilder();
        byGroupVersion.forEach((groupVersion, members) -> {
            var resources = new APIResourceListBuilder().withGroupVersion(groupVersion);
            for (Class<? extends HasMetadata> kind : members) {
                resources.addToResources(new APIResourceBuilder()
                        .withName(HasMetadata.getPlural(kind))
                        .withSingularName(HasMetadata.getSingular(kind))
                        .withKind(HasMetadata.getKind(kind))
                        .withNamespaced(Namespaced.class.isAssignableFrom(kind))
                        .withVerbs("create", "get", "list", "watch", "update", "patch", "delete")
                        .build());
            }
            String group = HasMetadata.getGroup(members.get(0));
            if (group.isEmpty()) {
                serve("/api/" + groupVersion, resources.build());
                return;
            }
            serve("/apis/" + groupVersion, resources.build());
            var version = new GroupVersionForDiscoveryBuilder()
                    .withGroupVersion(groupVersion)
                    .withVersion(HasMetadata.getVersion(members.get(0)))
                    .build();
            groups.addToGroups(new APIGroupBuilder()
                    .withName(group)
                    .withVersions(version)
                    .withPreferredVersion(version)
                    .build());
        });
        serve("/apis", groups.build());
        serve("/api", new APIVersionsBuilder().withVersions("v1").build());
        serve("/version", Map.of("major", "1", "minor", "31", "gitVersion", "v1.31.0"));
    }

    /** {@code helm install} of the chart into this cluster; what it created is then in {@link #client()}. */
    void install(Chart chart) {
        InstallCommand install = new Helm(Chart.DIR)
                .install()
                .withName(Chart.RELEASE)
                .withNamespace(Chart.NAMESPACE)
                .disableOpenApiValidation()
                .withKubeConfigContents(kubeconfig());
        chart.values().forEach(install::set);
        // Helm validates hooks against the server's OpenAPI document, which this stand-in does not serve: the
        // example policy is installed as a plain resource
        install.set("policy.hook", "false");
        install.call();
    }

    KubernetesClient client() {
        return client;
    }

    private void serve(String path, Object body) {
        discovery.put(path, Serialization.asJson(body));
    }

    /** Discovery by path (client-go adds a timeout query), then the CRUD store, which serves no discovery. */
    private final class DiscoveryStandIn extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String body = discovery.get(request.getPath().replaceFirst("\\?.*", ""));
            if ("GET".equals(request.getMethod()) && body != null) {
                return new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", "application/json")
                        .setBody(body);
            }
            return super.dispatch(request);
        }
    }

    private String kubeconfig() {
        String url = client.getConfiguration().getMasterUrl();
        return Serialization.asYaml(Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Config",
                "clusters",
                List.of(Map.of("name", "test", "cluster", Map.of("server", url))),
                "users",
                List.of(Map.of("name", "test", "user", Map.of("token", "test"))),
                "contexts",
                List.of(Map.of("name", "test", "context", Map.of("cluster", "test", "user", "test"))),
                "current-context",
                "test"));
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

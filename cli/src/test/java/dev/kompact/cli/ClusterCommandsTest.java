package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kompact.agent.tls.TlsFiles;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands that read a cluster, against the fabric8 mock API server in CRUD mode. */
class ClusterCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Path kubeconfig;

    @BeforeEach
    void startApiServer() throws Exception {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        for (String name : new String[] {"node-a", "node-b"}) {
            client.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withLabels(Map.of(
                                    "node.kubernetes.io/instance-type",
                                    "m5.large",
                                    "topology.kubernetes.io/zone",
                                    "us-east-1a",
                                    "kubernetes.io/hostname",
                                    name))
                            .endMetadata()
                            .withNewStatus()
                            .withAllocatable(Map.of(
                                    "cpu",
                                    new Quantity("1930m"),
                                    "memory",
                                    new Quantity("6903Mi"),
                                    "pods",
                                    new Quantity("29")))
                            .endStatus()
                            .build())
                    .create();
            client.pods()
                    .inNamespace("shop")
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("web-" + name)
                            .withNamespace("shop")
                            .addNewOwnerReference()
                            .withKind("ReplicaSet")
                            .withName("web-1")
                            .withApiVersion("apps/v1")
                            .withUid("u")
                            .withController(true)
                            .endOwnerReference()
                            .endMetadata()
                            .withNewSpec()
                            .withNodeName(name)
                            .addNewContainer()
                            .withName("web")
                            .withImage("web")
                            .withNewResources()
                            .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("512Mi")))
                            .endResources()
                            .endContainer()
                            .endSpec()
                            .withNewStatus()
                            .withPhase("Running")
                            .endStatus()
                            .build())
                    .create();
        }
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster: {server: "%s"}
                users:
                - name: me
                  user: {token: secret}
                contexts:
                - name: test
                  context: {cluster: test, user: me}
                current-context: test
                """.formatted(client.getMasterUrl()));
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    @Test
    void snapshotPrintsTheLiveClusterAsAValidSnapshot() throws Exception {
        int code = run("snapshot", "--kubeconfig", kubeconfig.toString());

        assertThat(code).isZero();
        ClusterSnapshot snapshot = read(out.toString());
        assertThat(snapshot.name()).isEqualTo("cluster");
        assertThat(snapshot.nodes()).extracting(n -> n.name()).containsExactlyInAnyOrder("node-a", "node-b");
        assertThat(snapshot.pods())
                .extracting(p -> p.key().toString())
                .containsExactlyInAnyOrder("shop/web-node-a", "shop/web-node-b");
    }

    @Test
    void reportPlansTheLiveClusterWithoutChangingIt() throws Exception {
        int code = run("plan", "--kubeconfig", kubeconfig.toString(), "--context", "test", "--time-limit", "5s");

        assertThat(code).isZero();
        JsonNode plan = new ObjectMapper().readTree(out.toString());
        // two m5.large hold 500m of requests: one node, or a cheaper new one, is enough
        assertThat(plan.at("/costAfter/perHour").decimalValue())
                .isLessThan(plan.at("/costBefore/perHour").decimalValue());
        assertThat(plan.get("cluster").asText()).isEqualTo("test");
        assertThat(client.nodes().list().getItems()).hasSize(2);
    }

    @Test
    void snapshotConvertsAKubectlDumpWithoutAnyAccess() throws Exception {
        Path dump = Path.of("src/test/resources/kubectl-dump.json");

        int code = run("snapshot", "--from-kubectl", dump.toString());

        assertThat(code).isZero();
        assertThat(read(out.toString()).nodes()).isNotEmpty();
    }

    @Test
    void unreachableClusterNamesTheServerAndKubeconfigTriedAndWhatToDo() throws Exception {
        Path nowhere = Files.writeString(
                dir.resolve("nowhere"),
                Files.readString(kubeconfig).replace(client.getMasterUrl().toString(), "http://127.0.0.1:1/"));

        int code = run("snapshot", "--kubeconfig", nowhere.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("kompact: cannot read the cluster at the API server http://127.0.0.1:1/ (kubeconfig "
                        + nowhere + ", context test): connection refused. Give --kubeconfig FILE")
                .contains("kompact snapshot --from-kubectl dump.json")
                .doesNotContain("\tat ")
                .hasLineCount(1);
    }

    @Test
    void controllerThatCannotReachTheClusterSaysSoInOneLine() throws Exception {
        Path nowhere = Files.writeString(
                dir.resolve("nowhere"),
                Files.readString(kubeconfig).replace(client.getMasterUrl().toString(), "http://127.0.0.1:1/"));

        int code = run("controller", "--lease-namespace", "kompact", "--kubeconfig", nowhere.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("kompact: cannot read the cluster at the API server http://127.0.0.1:1/")
                .hasLineCount(1);
    }

    @Test
    void withoutAnyKubeconfigSaysNoneWasFoundAndWhichServerWasTried() {
        String previous = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", dir.resolve("absent-kubeconfig").toString());
        try {
            int code = run("snapshot");

            assertThat(code).isEqualTo(2);
            assertThat(err.toString())
                    .startsWith("kompact: cannot read the cluster at the API server https://kubernetes.default.svc")
                    .contains("no kubeconfig found")
                    .hasLineCount(1);
        } finally {
            if (previous == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", previous);
            }
        }
    }

    @Test
    void snapshotConvertsSeveralFilesAndSummarisesThemOnStderr() throws Exception {
        Path nodes = Files.writeString(dir.resolve("nodes.json"), """
                {"kind": "NodeList", "apiVersion": "v1", "items": [{"metadata": {"name": "n1", "labels": {
                  "node.kubernetes.io/instance-type": "m5.large", "topology.kubernetes.io/zone": "us-east-1a"}},
                  "status": {"allocatable": {"cpu": "1930m", "memory": "6903Mi", "pods": "29"}}}]}""");
        Path pods = Files.writeString(dir.resolve("pods.yaml"), """
                apiVersion: v1
                kind: PodList
                items:
                - metadata: {name: web-1, namespace: shop}
                  spec:
                    nodeName: n1
                    containers: [{name: web, image: web}]
                """);

        int code = run("snapshot", "--from-kubectl", nodes.toString(), pods.toString());

        assertThat(code).isZero();
        assertThat(read(out.toString()).pods()).hasSize(1);
        assertThat(err.toString())
                .isEqualTo("kompact: 1 node, 1 pod, 0 PodDisruptionBudgets;"
                        + " 1 pod without requests (counted as using nothing)\n");
    }

    @Test
    void aListWhoseItemsLackKindIsNotACrash() throws Exception {
        Path dump = Files.writeString(
                dir.resolve("dump.json"),
                "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"metadata\": {\"name\": \"x\"}}]}");

        int code = run("snapshot", "--from-kubectl", dump.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("kompact: " + dump + " holds no Node (only 1 object without kind). Produce it with:"
                        + " kubectl get nodes,pods,pdb,pv,pvc -A -o json > dump.json\n");
    }

    @Test
    void reportGivenAKubectlDumpConvertsItAndSaysSo() throws Exception {
        Path dump = Path.of("src/test/resources/kubectl-dump.json");

        int code = run("plan", "--snapshot", dump.toString(), "--time-limit", "1s");

        assertThat(code).isZero();
        assertThat(err.toString())
                .startsWith("kompact: " + dump + " is kubectl output, not a ClusterSnapshot: converted as 'kompact"
                        + " snapshot --from-kubectl " + dump + "' would: 2 nodes, 2 pods, 1 PodDisruptionBudget");
    }

    @Test
    void missingDumpAndBothSourcesAreExitCode2() {
        assertThat(run("snapshot", "--from-kubectl", dir.resolve("absent.json").toString()))
                .isEqualTo(2);
        assertThat(run("plan", "--snapshot", "x.json", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("give either --snapshot or --kubeconfig/--context, not both");
    }

    @Test
    void agentWithoutItsFlagsNamesEveryMissingOneAtOnce() {
        assertThat(run("agent", "--port", "0")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("kompact: Missing required options: '--node=NAME', '--state-dir=DIR', '--runc-root=DIR',"
                        + " '--pod-bridge=NAME', '--tls-cert=FILE', '--tls-key=FILE', '--tls-ca=FILE'");
    }

    @Test
    void certificateLifetimesTheApiServerWouldRefuseAreRefusedNamingTheFlag() throws Exception {
        int controller = run(
                "controller",
                "--lease-namespace",
                "kompact",
                "--kubeconfig",
                kubeconfig.toString(),
                "--sign-agent-certificates",
                "--certificate-lifetime",
                "5m");
        assertThat(controller).isEqualTo(2);
        assertThat(err.toString()).startsWith("kompact: --certificate-lifetime must be at least 10m, got PT5M");

        err.getBuffer().setLength(0);
        TlsFiles none = new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("ca.crt"));
        int agent = run(
                "agent",
                "--node",
                "n1",
                "--port",
                "0",
                "--state-dir",
                dir.resolve("state").toString(),
                "--runc-root",
                dir.resolve("runc").toString(),
                "--pod-bridge",
                "br0",
                "--tls-cert",
                none.certificateChain().toString(),
                "--tls-key",
                none.privateKey().toString(),
                "--tls-ca",
                none.trustedCa().toString(),
                "--enrol",
                "--certificate-lifetime",
                "5m");
        assertThat(agent).isEqualTo(2);
        assertThat(err.toString()).startsWith("kompact: --certificate-lifetime must be at least 10m, got PT5M");
    }

    @Test
    void agentHelpDescribesEveryFlag() {
        assertThat(run("agent", "--help")).isZero();
        for (String flag : new String[] {
            "--node",
            "--port",
            "--listen",
            "--state-dir",
            "--runc-root",
            "--pod-bridge",
            "--name-prefix",
            "--tls-cert",
            "--tls-key",
            "--tls-ca",
            "--max-image-bytes",
            "--max-image-entries",
            "--transfer-bytes-per-second",
            "--libcriu",
            "--criu",
            "--node-ip",
            "--certificate-lifetime",
            "--enrol-timeout"
        }) {
            assertThat(out.toString()).containsPattern("(?m)^\\s+" + flag + "=\\S+\\s+\\S");
        }
    }

    private ClusterSnapshot read(String json) throws Exception {
        return new SnapshotReader(InstanceCatalog.bundled())
                .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "stdout");
    }

    private int run(String... args) {
        CommandLine cli = Kompact.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}

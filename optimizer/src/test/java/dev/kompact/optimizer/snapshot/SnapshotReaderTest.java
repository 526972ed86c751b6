package dev.kompact.optimizer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.catalog.InstanceType;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.SelectorOperator;
import dev.kompact.optimizer.model.TaintEffect;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotReaderTest {

    private static final String NODE = """
            {"name": "n1", "instanceType": "m5.large", "zone": "us-east-1a", "capacityType": "spot",
             "labels": {"pool": "general"}, "taints": [{"key": "dedicated", "value": "web", "effect": "NoSchedule"}],
             "allocatable": {"cpu": "1930m", "memory": "6903Mi", "pods": 29, "example.com/network": "2"}}""";
    private static final String POD = """
            {"namespace": "shop", "name": "web-1", "node": "n1", "owner": {"kind": "ReplicaSet", "name": "web-1a2b"},
             "requests": {"cpu": "250m", "memory": "1Gi", "example.com/network": "1"}, "usage": {"cpu": "20m"},
             "priority": 100, "nodeSelector": {"pool": "general"},
             "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
               {"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}]}]}}},
             "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}]}""";

    private final SnapshotReader reader = new SnapshotReader(InstanceCatalog.bundled());

    @Test
    void readsKubernetesQuantitiesAndShapes() throws Exception {
        ClusterSnapshot snapshot = read(document("[" + NODE + "]", "[" + POD + "]", ""));

        var node = snapshot.nodes().get(0);
        assertThat(node.allocatable().get("cpu")).isEqualTo(1930);
        assertThat(node.allocatable().get("memory")).isEqualTo(6903L << 20);
        assertThat(node.allocatable().get("pods")).isEqualTo(29);
        assertThat(node.allocatable().get("example.com/network")).isEqualTo(2);
        assertThat(node.capacityType()).isEqualTo(CapacityType.SPOT);
        assertThat(node.taints().get(0).effect()).isEqualTo(TaintEffect.NoSchedule);
        assertThat(node.labels())
                .containsEntry("kubernetes.io/hostname", "n1")
                .containsEntry("topology.kubernetes.io/zone", "us-east-1a");
        Pod pod = snapshot.pods().get(0);
        assertThat(pod.key()).hasToString("shop/web-1");
        assertThat(pod.requests().get("memory")).isEqualTo(1L << 30);
        assertThat(pod.requiredNodeAffinity().get(0).matchExpressions().get(0).operator())
                .isEqualTo(SelectorOperator.In);
        assertThat(pod.toleratesAll(node.taints())).isTrue();
    }

    @Test
    void looksUpMissingNodePriceInCatalogue() throws Exception {
        ClusterSnapshot snapshot = read(document("[" + NODE + "]", "[]", ""));

        long spotPrice =
                InstanceCatalog.bundled().price("m5.large", CapacityType.SPOT).getAsLong();
        assertThat(snapshot.nodes().get(0).pricePerHourMicros()).isEqualTo(spotPrice);
    }

    @Test
    void offersBundledCatalogueInClusterZonesWhenOfferingsAbsent() throws Exception {
        ClusterSnapshot snapshot = read(document("[" + NODE + "]", "[]", ""));

        assertThat(snapshot.offerings())
                .isNotEmpty()
                .allMatch(o -> o.zone().equals("us-east-1a"))
                .allMatch(o -> o.labels().get("kubernetes.io/arch").equals("amd64"));
    }

    @Test
    void offersNothingWhenOfferingsEmpty() throws Exception {
        ClusterSnapshot snapshot = read(document("[" + NODE + "]", "[]", ", \"offerings\": []"));

        assertThat(snapshot.offerings()).isEmpty();
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertProblems("{\"apiVersion\": ", "not valid JSON (line 1");
    }

    @Test
    void rejectsOtherApiVersionAndKind() {
        assertProblems(
                """
                {"apiVersion": "v1", "kind": "List", "nodes": []}""",
                "apiVersion: \"v1\" is not supported, expected \"kompact.dev/v1alpha1\"",
                "kind: \"List\" is not supported, expected \"ClusterSnapshot\"");
    }

    @Test
    void rejectsBadQuantityWithItsPath() {
        assertProblems(
                document("[" + NODE + "]", "[" + POD.replace("\"250m\"", "\"12x\"") + "]", ""),
                "pods[0].requests.cpu: \"12x\" is not a quantity");
    }

    @Test
    void rejectsNegativeQuantity() {
        assertProblems(
                document("[" + NODE.replace("\"1930m\"", "\"-1\"") + "]", "[]", ""),
                "nodes[0].allocatable.cpu: \"-1\" is negative");
    }

    @Test
    void rejectsUnknownFieldWithItsPath() {
        assertProblems(
                document("[" + NODE + "]", "[" + POD.replace("\"priority\"", "\"prio\"") + "]", ""),
                "pods[0].prio: unknown field");
    }

    @Test
    void namesAMisspeltObjectFieldOnceAndSuggestsTheKnownOne() {
        assertThatThrownBy(
                        () -> read(document("[" + NODE.replace("\"allocatable\"", "\"alocatable\"") + "]", "[]", "")))
                .isInstanceOfSatisfying(
                        InvalidSnapshotException.class,
                        e -> assertThat(e.problems().stream().map(SnapshotProblem::toString))
                                .contains(
                                        "node \"n1\" at nodes[0].alocatable: unknown field, did you mean \"allocatable\"?"));
    }

    @Test
    void suggestsNothingForAFieldUnlikeAnyKnownOne() {
        assertProblems(
                document("[" + NODE.replace("\"labels\"", "\"zzzzzzzz\"") + "]", "[]", ""),
                "nodes[0].zzzzzzzz: unknown field");
        assertThatThrownBy(() -> read(document("[" + NODE.replace("\"labels\"", "\"zzzzzzzz\"") + "]", "[]", "")))
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void saysAnEmptyFileIsEmpty() {
        assertProblems("", "the file is empty: expected a ClusterSnapshot object");
        assertProblems("  \n", "the file is empty");
    }

    @Test
    void saysADirectoryIsADirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> reader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir + " is a directory, not a snapshot file");
    }

    @Test
    void namesOnlyTheCapacityTypeWhenItIsMisspelt() {
        assertThatThrownBy(() -> read(document("[" + NODE.replace("\"spot\"", "\"spto\"") + "]", "[]", "")))
                .isInstanceOfSatisfying(
                        InvalidSnapshotException.class,
                        e -> assertThat(e.problems().stream().map(SnapshotProblem::toString))
                                .containsExactly(
                                        "node \"n1\" at nodes[0].capacityType: \"spto\" is not a capacity type (on-demand or spot)"));
    }

    @Test
    void rejectsWrongJsonType() {
        assertProblems(
                document("[" + NODE.replace("{\"pool\": \"general\"}", "[\"general\"]") + "]", "[]", ""),
                "nodes[0].labels: expected an object");
    }

    @Test
    void rejectsDuplicateNodeAndUnknownNodeReference() {
        assertProblems(
                document(
                        "[" + NODE + "," + NODE + "]",
                        "[" + POD.replace("\"node\": \"n1\"", "\"node\": \"n9\"") + "]",
                        ""),
                "nodes[1].name: duplicate node name \"n1\"",
                "pods[0].node: no node named \"n9\" in nodes");
    }

    @Test
    void namesTheNodeAndPodAProblemIsInAsWellAsTheirIndex() {
        String node = NODE.replace("\"1930m\"", "\"lots\"");
        String pod = POD.replace("\"250m\"", "\"12x\"").replace("\"priority\"", "\"prio\"");
        assertThatThrownBy(() -> read(document("[" + node + "]", "[" + pod + "]", "")))
                .isInstanceOfSatisfying(
                        InvalidSnapshotException.class,
                        e -> assertThat(e.problems().stream().map(SnapshotProblem::toString))
                                .containsExactlyInAnyOrder(
                                        "node \"n1\" at nodes[0].allocatable.cpu: \"lots\" is not a quantity",
                                        "pod \"shop/web-1\" at pods[0].requests.cpu: \"12x\" is not a quantity",
                                        "pod \"shop/web-1\" at pods[0].prio: unknown field"));
    }

    @Test
    void namesABudgetByNamespaceAndName() {
        String budget = ", \"podDisruptionBudgets\": [{\"metadata\": {\"namespace\": \"shop\", \"name\": \"web\"},"
                + " \"spec\": {\"minAvailable\": \"1\"}}]";
        assertProblems(
                document("[" + NODE + "]", "[]", budget),
                "budget \"shop/web\" at podDisruptionBudgets[0].spec.selector: missing");
    }

    @Test
    void keepsToTheIndexWhenTheDocumentNamesNothing() {
        assertThatThrownBy(() -> read(document("[" + NODE.replace("\"name\": \"n1\", ", "") + "]", "[]", "")))
                .isInstanceOfSatisfying(
                        InvalidSnapshotException.class,
                        e -> assertThat(e.problems().stream().map(SnapshotProblem::toString))
                                .containsExactly("nodes[0].name: missing"));
    }

    @Test
    void rejectsUnknownEnumValues() {
        String node = NODE.replace("\"spot\"", "\"reserved\"").replace("\"NoSchedule\"", "\"Never\"");
        String pod = POD.replace("\"operator\": \"In\"", "\"operator\": \"Maybe\"");
        assertProblems(
                document("[" + node + "]", "[" + pod + "]", ""),
                "nodes[0].capacityType: \"reserved\" is not a capacity type (on-demand or spot)",
                "nodes[0].taints[0].effect: \"Never\" is not one of [NoSchedule, PreferNoSchedule, NoExecute]",
                "pods[0].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]"
                        + ".matchExpressions[0].operator: \"Maybe\" is not one of");
    }

    @Test
    void rejectsUnpricedNodeOfUnknownType() {
        assertProblems(
                document("[" + NODE.replace("m5.large", "m99.huge") + "]", "[]", ""),
                "nodes[0].pricePerHour: missing, and the catalogue has no spot price for instance type \"m99.huge\"");
    }

    @Test
    void rejectsMissingNamesAndAllocatable() {
        assertProblems(
                document(
                        "[{\"zone\": \"us-east-1a\", \"pricePerHour\": 0.1}]",
                        "[{\"namespace\": \"x\", \"requests\": {}}]",
                        ""),
                "nodes[0].name: missing",
                "nodes[0].allocatable: missing: a node needs at least cpu, memory and pods",
                "pods[0].name: missing");
    }

    @Test
    void rejectsBudgetWithBothMinAvailableAndMaxUnavailable() {
        assertProblems(
                document("[" + NODE + "]", "[]", """
                , "podDisruptionBudgets": [{"metadata": {"namespace": "shop", "name": "web"},
                   "spec": {"selector": {"matchLabels": {"app": "web"}}, "minAvailable": "50%", "maxUnavailable": 1},
                   "status": {"disruptionsAllowed": 1}}]"""),
                "podDisruptionBudgets[0].spec: set exactly one of minAvailable and maxUnavailable");
    }

    @Test
    void rejectsAPercentageOver100() {
        assertProblems(
                document("[" + NODE + "]", "[]", """
                , "podDisruptionBudgets": [{"metadata": {"namespace": "shop", "name": "web"},
                   "spec": {"selector": {"matchLabels": {"app": "web"}}, "minAvailable": "150%"},
                   "status": {"disruptionsAllowed": 1}}]"""),
                "podDisruptionBudgets[0].spec.minAvailable: \"150%\" is over 100%");
    }

    @Test
    void rejectsAPriceBeyondAnyInstanceWithItsPath() {
        assertProblems(
                document(
                        "[" + NODE.replace("\"capacityType\"", "\"pricePerHour\": 1e30, \"capacityType\"") + "]",
                        "[]",
                        ""),
                "nodes[0].pricePerHour: is beyond any instance's price");
    }

    @Test
    void rejectsAnOfferingPriceBeyondAnyInstanceWithItsPath() {
        assertProblems(
                document("[" + NODE + "]", "[]", """
                , "offerings": [{"instanceType": "m5.large", "zone": "us-east-1a", "pricePerHour": 1e30}]"""), "offerings[0].pricePerHour: is beyond any instance's price");
    }

    @Test
    void rejectsACataloguePriceBeyondAnyInstance() {
        InstanceCatalog greedy = new InstanceCatalog(
                InstanceCatalog.BUNDLED_REGION,
                InstanceCatalog.bundled().types().stream()
                        .map(t -> t.name().equals("m5.large")
                                ? new InstanceType(
                                        t.name(),
                                        t.family(),
                                        t.category(),
                                        t.generation(),
                                        t.arch(),
                                        t.vcpu(),
                                        t.memoryMib(),
                                        t.gpuCount(),
                                        t.allocatable(),
                                        OptionalLong.of(Long.MAX_VALUE),
                                        t.spotPriceMicros(),
                                        t.interruptionFrequency())
                                : t)
                        .toList());

        assertThatThrownBy(() -> new SnapshotReader(greedy)
                        .read(
                                new ByteArrayInputStream(
                                        document("[" + NODE + "]", "[]", "").getBytes(StandardCharsets.UTF_8)),
                                "test"))
                .isInstanceOfSatisfying(
                        InvalidSnapshotException.class,
                        e -> assertThat(e.problems())
                                .map(SnapshotProblem::toString)
                                .anyMatch(p -> p.contains("offerings (catalogue: m5.large on-demand in us-east-1a)")
                                        && p.contains("beyond any instance's price")));
    }

    @Test
    void rejectsAQuantityExponentBeyondAnyNumberWithItsPath() {
        assertProblems(
                document("[" + NODE + "]", "[" + POD.replace("\"250m\"", "\"1e99999999999\"") + "]", ""),
                "pods[0].requests.cpu: \"1e99999999999\" is not a quantity");
    }

    @Test
    void rejectsAQuantityBeyondWhatAnyNodeCanHoldWithItsPath() {
        // two pods of 2^62 bytes: summed in a long they wrap around, and a 6903Mi node would look to have room
        String huge = POD.replace("\"1Gi\"", "\"4611686018427387904\"");
        assertProblems(
                document("[" + NODE + "]", "[" + huge + ", " + huge.replace("web-1\"", "web-2\"") + "]", ""),
                "pods[0].requests.memory: \"4611686018427387904\" is beyond what any node can hold (over 1Pi)",
                "pods[1].requests.memory: \"4611686018427387904\" is beyond what any node can hold");
    }

    @Test
    void rejectsRequestsWhoseClusterSumTheSolverCouldNotAddUp() {
        // 2^50 bytes each, the most one may ask: the 2048th takes the sum past Long.MAX_VALUE / 4
        StringBuilder pods = new StringBuilder("[");
        for (int i = 0; i < 2048; i++) {
            pods.append(i == 0 ? "" : ", ")
                    .append(POD.replace("\"1Gi\"", "\"1Pi\"").replace("web-1\"", "web-" + i + "\""));
        }
        assertProblems(
                document("[" + NODE + "]", pods.append("]").toString(), ""),
                "pods[2047].requests.memory: with the pods before it, the cluster's pods request more memory");
    }

    @Test
    void rejectsAKeyGivenTwice() {
        assertProblems(
                document(
                        "["
                                + NODE.replace(
                                        "\"zone\": \"us-east-1a\"",
                                        "\"zone\": \"us-east-1a\", \"zone\": \"us-east-1b\"")
                                + "]",
                        "[]",
                        ""),
                "Duplicate field 'zone'");
    }

    @Test
    void rejectsSelectorOperatorWithWrongValues() {
        assertProblems(
                document("[" + NODE + "]", "[" + POD.replace("\"values\": [\"amd64\"]", "\"values\": []") + "]", ""),
                "matchExpressions[0].values: In needs at least one value");
    }

    @Test
    void listsEveryProblemAtOnce() {
        String node = NODE.replace("\"1930m\"", "\"lots\"");
        String pod = POD.replace("\"250m\"", "\"12x\"").replace("\"priority\"", "\"prio\"");
        assertThatThrownBy(() -> read(document("[" + node + "]", "[" + pod + "]", "")))
                .isInstanceOfSatisfying(
                        InvalidSnapshotException.class,
                        e -> assertThat(e.problems()).hasSize(3));
    }

    private void assertProblems(String json, String... expected) {
        assertThatThrownBy(() -> read(json)).isInstanceOfSatisfying(InvalidSnapshotException.class, e -> {
            List<String> problems =
                    e.problems().stream().map(SnapshotProblem::toString).toList();
            for (String fragment : expected) {
                assertThat(problems).anySatisfy(p -> assertThat(p).contains(fragment));
            }
            assertThat(e.getMessage()).startsWith("test.json is not a valid ClusterSnapshot");
        });
    }

    private ClusterSnapshot read(String json) throws Exception {
        return reader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    private static String document(String nodes, String pods, String rest) {
        return "{\"apiVersion\": \"kompact.dev/v1alpha1\", \"kind\": \"ClusterSnapshot\", \"nodes\": " + nodes
                + ", \"pods\": " + pods + rest + "}";
    }
}

package dev.kompact.executor.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cluster.Fabric8ClusterApi;
import dev.kompact.executor.cluster.Nodes;
import dev.kompact.executor.crd.KompactApi;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.testing.InMemoryCloud;
import dev.kompact.executor.testing.Plans;
import dev.kompact.executor.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What lands on a node while it is being given back: pods that tolerate every taint, or are created naming the node,
 * get past the scheduler's checks; the executor must neither evict them forever nor lose them silently.
 */
class PlanExecutorTerminateWindowTest {

    TestCluster cluster;
    InMemoryCloud cloud;
    Fabric8ClusterApi api;

    @BeforeEach
    void oneNodeToEmpty() throws Exception {
        cluster = new TestCluster(Duration.ofMillis(20));
        cloud = new InMemoryCloud(cluster.client(), Duration.ofMillis(20));
        api = new Fabric8ClusterApi(cluster.client());
        cluster.node("old-1", "m5.2xlarge");
        cluster.node("keep-1", "m5.2xlarge");
        cluster.replicaPod("shop", "web", "web-a", "old-1");
        Plans.create(
                cluster.client(),
                "p",
                Plans.plan(List.of(), List.of("old-1"), List.of(Plans.restart("shop/web-a", "old-1", "keep-1"))),
                1,
                1);
    }

    @AfterEach
    void stop() {
        api.close();
        cloud.close();
        cluster.close();
    }

    @Test
    void cordonsAndTaintsNoExecuteBeforeTheLastLookAndReportsAPodLandingAfterIt() throws Exception {
        List<String> calls = new ArrayList<>();
        List<Node> atTermination = new ArrayList<>();
        CloudProvider window = new CloudProvider() {
            @Override
            public LaunchedInstance launch(LaunchRequest request) {
                return cloud.launch(request);
            }

            @Override
            public void checkTerminable(String instanceId) {
                calls.add("check " + instanceId);
                cloud.checkTerminable(instanceId);
            }

            @Override
            public void terminate(String instanceId) {
                calls.add("terminate " + instanceId);
                atTermination.add(cluster.client().nodes().withName("old-1").get());
                // after the executor's last look: a pod created with spec.nodeName, tolerating everything, lands
                cluster.client()
                        .pods()
                        .resource(new PodBuilder()
                                .withNewMetadata()
                                .withNamespace("ops")
                                .withName("late")
                                .addNewOwnerReference()
                                .withApiVersion("apps/v1")
                                .withKind("ReplicaSet")
                                .withName("late")
                                .withUid("rs-late")
                                .withController(true)
                                .endOwnerReference()
                                .endMetadata()
                                .withNewSpec()
                                .withNodeName("old-1")
                                .addNewToleration()
                                .withOperator("Exists")
                                .endToleration()
                                .addNewContainer()
                                .withName("app")
                                .withImage("agent")
                                .endContainer()
                                .endSpec()
                                .build())
                        .create();
                cloud.terminate(instanceId);
            }
        };

        RebalancePlanResource done = executor(window).run("p", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Succeeded);
        String instance = done.getStatus().step("terminate-1").orElseThrow().instanceId;
        // the tag check came first, so nothing but TerminateInstances followed the last look
        assertThat(calls).containsExactly("check " + instance, "terminate " + instance);
        Node node = atTermination.get(0);
        assertThat(Nodes.isCordoned(node)).isTrue();
        assertThat(node.getSpec().getTaints())
                .extracting(Taint::getKey, Taint::getEffect)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(KompactApi.DISRUPTED_TAINT, "NoSchedule"),
                        org.assertj.core.groups.Tuple.tuple(KompactApi.DISRUPTED_TAINT, "NoExecute"));
        assertThat(events("ops"))
                .anyMatch(e -> e.getReason().equals(EventReasons.POD_CAUGHT)
                        && e.getInvolvedObject().getName().equals("late")
                        && e.getType().equals("Warning"));
        assertThat(done.getStatus().step("terminate-1").orElseThrow().message).contains("ops/late");
    }

    @Test
    void stopsTheDrainWhenAnEvictedPodIsScheduledBackInsteadOfEvictingItForever() throws Exception {
        // arrived after the plan was made, and tolerates the cordon and the taint
        cluster.toleratingReplicaPod("ops", "agent", "agent-1", "old-1");
        // its controller replaces it while it terminates, and the scheduler puts the replacement where there is room
        cluster.evictions().beforeEviction((pod, namespacePods) -> {
            if (pod.getMetadata().getName().equals("agent-1")) {
                cluster.toleratingReplicaPod("ops", "agent", "agent-2", "old-1");
            }
        });

        RebalancePlanResource done = executor(cloud).run("p", () -> true);

        assertThat(done.getStatus().phase).as(done.getStatus().message).isEqualTo(PlanPhase.Aborted);
        assertThat(done.getStatus().reason).isEqualTo(StopReasons.POD_SCHEDULED_BACK);
        assertThat(cluster.evictions().requests())
                .as("evicted once, not over and over")
                .isEqualTo(2);
        assertThat(events("ops")).anyMatch(e -> e.getReason().equals(StopReasons.POD_SCHEDULED_BACK));
        Node kept = cluster.client().nodes().withName("old-1").get();
        assertThat(Nodes.isCordoned(kept)).as("the plan's cordon is undone").isFalse();
        assertThat(Nodes.hasTaint(kept, KompactApi.DISRUPTED_TAINT)).isFalse();
        assertThat(cloud.terminated()).isEmpty();
    }

    private List<Event> events(String namespace) {
        return cluster.client().v1().events().inNamespace(namespace).list().getItems();
    }

    private PlanExecutor executor(CloudProvider provider) {
        return new PlanExecutor(
                api,
                provider,
                Optional.empty(),
                new Fabric8PlanStore(cluster.client()),
                CatalogSource.bundled(),
                PlanExecutorSettings.FAST,
                ExecutionListener.NONE,
                Clock.systemUTC());
    }
}

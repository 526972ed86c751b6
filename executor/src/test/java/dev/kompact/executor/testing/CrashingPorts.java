package dev.kompact.executor.testing;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
import dev.kompact.executor.cloud.PodAddresses;
import dev.kompact.executor.cluster.ClusterApi;
import dev.kompact.executor.cluster.EvictionResult;
import dev.kompact.executor.crd.OptimizationPolicy;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.execution.PlanStore;
import dev.kompact.executor.migration.MigrationResult;
import dev.kompact.executor.migration.Migrator;
import dev.kompact.executor.migration.PodMigration;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The executor's ports with every write passed through {@link Crashes}; Events are not counted as writes. */
public final class CrashingPorts {

    private CrashingPorts() {}

    public static ClusterApi cluster(ClusterApi api, Crashes crashes) {
        return new ClusterApi() {
            @Override
            public Optional<Node> node(String name) {
                return api.node(name);
            }

            @Override
            public List<Node> nodes() {
                return api.nodes();
            }

            @Override
            public Optional<Pod> pod(String namespace, String name) {
                return api.pod(namespace, name);
            }

            @Override
            public List<Pod> podsOn(String nodeName) {
                return api.podsOn(nodeName);
            }

            @Override
            public List<Pod> podsIn(String namespace) {
                return api.podsIn(namespace);
            }

            @Override
            public List<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
                return api.podDisruptionBudgets(namespace);
            }

            @Override
            public void addTaint(String nodeName, Taint taint) {
                crashes.write("taint " + nodeName, () -> api.addTaint(nodeName, taint));
            }

            @Override
            public void removeTaint(String nodeName, String key) {
                crashes.write("untaint " + nodeName, () -> api.removeTaint(nodeName, key));
            }

            @Override
            public EvictionResult evict(String namespace, String name, String uid) {
                return crashes.write("evict " + namespace + "/" + name, () -> api.evict(namespace, name, uid));
            }

            @Override
            public void cordon(String nodeName) {
                crashes.write("cordon " + nodeName, () -> api.cordon(nodeName));
            }

            @Override
            public void uncordon(String nodeName) {
                crashes.write("uncordon " + nodeName, () -> api.uncordon(nodeName));
            }

            @Override
            public Pod createPod(Pod pod) {
                return crashes.write("create pod " + pod.getMetadata().getName(), () -> api.createPod(pod));
            }

            @Override
            public void annotatePod(String namespace, String name, String key, String value) {
                crashes.write("annotate " + name, () -> api.annotatePod(namespace, name, key, value));
            }

            @Override
            public void adoptPod(String namespace, String name, Map<String, String> labels, OwnerReference controller) {
                crashes.write("adopt " + name, () -> api.adoptPod(namespace, name, labels, controller));
            }

            @Override
            public void setPodCondition(String namespace, String name, PodCondition condition) {
                crashes.write(
                        "condition " + condition.getType() + " of " + name,
                        () -> api.setPodCondition(namespace, name, condition));
            }

            @Override
            public boolean deletePod(String namespace, String name, String uid) {
                return crashes.write("delete pod " + name, () -> api.deletePod(namespace, name, uid));
            }

            @Override
            public void deleteNode(String name) {
                crashes.write("delete node " + name, () -> api.deleteNode(name));
            }

            @Override
            public void recordEvent(ObjectReference about, String reason, String message, boolean warning) {
                api.recordEvent(about, reason, message, warning);
            }
        };
    }

    public static CloudProvider cloud(CloudProvider cloud, Crashes crashes) {
        return new CloudProvider() {
            @Override
            public LaunchedInstance launch(LaunchRequest request) {
                return crashes.write("launch " + request.planned().instanceType(), () -> cloud.launch(request));
            }

            @Override
            public void checkTerminable(String instanceId) {
                cloud.checkTerminable(instanceId);
            }

            @Override
            public void terminate(String instanceId) {
                crashes.write("terminate " + instanceId, () -> cloud.terminate(instanceId));
            }
        };
    }

    /** Starting a migration is a write: the controller may die while the agents carry it out. */
    public static Migrator migrator(Migrator migrator, Crashes crashes) {
        return new Migrator() {
            @Override
            public Optional<String> refusal(String sourceNode, String targetNode) {
                return migrator.refusal(sourceNode, targetNode);
            }

            @Override
            public MigrationResult migrate(PodMigration migration) {
                return crashes.write("migrate " + migration.migrationId(), () -> migrator.migrate(migration));
            }

            @Override
            public Optional<MigrationResult> outcome(String migrationId, String sourceNode) {
                return migrator.outcome(migrationId, sourceNode);
            }
        };
    }

    public static PodAddresses addresses(PodAddresses addresses, Crashes crashes) {
        return new PodAddresses() {
            @Override
            public Moved move(String address, String sourceInstance, String targetInstance) {
                return crashes.write("move " + address, () -> addresses.move(address, sourceInstance, targetInstance));
            }

            @Override
            public void moveBack(
                    String address, String sourceInstance, String targetInstance, Optional<String> origin) {
                crashes.write(
                        "move back " + address,
                        () -> addresses.moveBack(address, sourceInstance, targetInstance, origin));
            }
        };
    }

    public static PlanStore store(PlanStore store, Crashes crashes) {
        return new PlanStore() {
            @Override
            public Optional<RebalancePlanResource> plan(String name) {
                return store.plan(name);
            }

            @Override
            public List<RebalancePlanResource> plans() {
                return store.plans();
            }

            @Override
            public void delete(String name) {
                crashes.write("delete plan " + name, () -> store.delete(name));
            }

            @Override
            public RebalancePlanResource create(RebalancePlanResource plan) {
                return crashes.write("create plan", () -> store.create(plan));
            }

            @Override
            public RebalancePlanResource updateStatus(RebalancePlanResource plan) {
                return crashes.write("journal " + plan.getStatus().phase, () -> store.updateStatus(plan));
            }

            @Override
            public Optional<OptimizationPolicy> policy(String name) {
                return store.policy(name);
            }
        };
    }
}

package dev.kompact.executor.controller;

import dev.kompact.executor.cloud.CloudProvider;
import dev.kompact.executor.cloud.LaunchRequest;
import dev.kompact.executor.cloud.LaunchedInstance;
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

/** The controller's ports with {@link LeaseHolder#check} before every write: reads pass, changes need the Lease. */
final class LeaderOnly {

    private LeaderOnly() {}

    static ClusterApi cluster(ClusterApi cluster, LeaseHolder lease) {
        return new ClusterApi() {
            @Override
            public Optional<Node> node(String name) {
                return cluster.node(name);
            }

            @Override
            public List<Node> nodes() {
                return cluster.nodes();
            }

            @Override
            public Optional<Pod> pod(String namespace, String name) {
                return cluster.pod(namespace, name);
            }

            @Override
            public List<Pod> podsOn(String nodeName) {
                return cluster.podsOn(nodeName);
            }

            @Override
            public List<Pod> podsIn(String namespace) {
                return cluster.podsIn(namespace);
            }

            @Override
            public List<PodDisruptionBudget> podDisruptionBudgets(String namespace) {
                return cluster.podDisruptionBudgets(namespace);
            }

            @Override
            public void addTaint(String nodeName, Taint taint) {
                lease.check("tainting node " + nodeName);
                cluster.addTaint(nodeName, taint);
            }

            @Override
            public void removeTaint(String nodeName, String key) {
                lease.check("untainting node " + nodeName);
                cluster.removeTaint(nodeName, key);
            }

            @Override
            public void cordon(String nodeName) {
                lease.check("cordoning node " + nodeName);
                cluster.cordon(nodeName);
            }

            @Override
            public void uncordon(String nodeName) {
                lease.check("uncordoning node " + nodeName);
                cluster.uncordon(nodeName);
            }

            @Override
            public EvictionResult evict(String namespace, String name, String uid) {
                lease.check("evicting " + namespace + "/" + name);
                return cluster.evict(namespace, name, uid);
            }

            @Override
            public Pod createPod(Pod pod) {
                lease.check("creating pod " + pod.getMetadata().getNamespace() + "/"
                        + pod.getMetadata().getName());
                return cluster.createPod(pod);
            }

            @Override
            public void annotatePod(String namespace, String name, String key, String value) {
                lease.check("annotating " + namespace + "/" + name);
                cluster.annotatePod(namespace, name, key, value);
            }

            @Override
            public void adoptPod(String namespace, String name, Map<String, String> labels, OwnerReference controller) {
                lease.check("adopting " + namespace + "/" + name);
                cluster.adoptPod(namespace, name, labels, controller);
            }

            @Override
            public void setPodCondition(String namespace, String name, PodCondition condition) {
                lease.check("setting condition " + condition.getType() + " of " + namespace + "/" + name);
                cluster.setPodCondition(namespace, name, condition);
            }

            @Override
            public boolean deletePod(String namespace, String name, String uid) {
                lease.check("deleting pod " + namespace + "/" + name);
                return cluster.deletePod(namespace, name, uid);
            }

            @Override
            public void deleteNode(String name) {
                lease.check("deleting node " + name);
                cluster.deleteNode(name);
            }

            @Override
            public void recordEvent(ObjectReference about, String reason, String message, boolean warning) {
                cluster.recordEvent(about, reason, message, warning);
            }
        };
    }

    static CloudProvider cloud(CloudProvider cloud, LeaseHolder lease) {
        return new CloudProvider() {
            @Override
            public LaunchedInstance launch(LaunchRequest request) {
                lease.check("launching an instance");
                return cloud.launch(request);
            }

            @Override
            public void checkTerminable(String instanceId) {
                cloud.checkTerminable(instanceId);
            }

            @Override
            public void terminate(String instanceId) {
                lease.check("terminating " + instanceId);
                cloud.terminate(instanceId);
            }
        };
    }

    static Migrator migrator(Migrator migrator, LeaseHolder lease) {
        return new Migrator() {
            @Override
            public Optional<String> refusal(String sourceNode, String targetNode) {
                return migrator.refusal(sourceNode, targetNode);
            }

            @Override
            public MigrationResult migrate(PodMigration migration) {
                lease.check("migrating " + migration.source().namespace() + "/"
                        + migration.source().name());
                return migrator.migrate(migration);
            }

            @Override
            public Optional<MigrationResult> outcome(String migrationId, String sourceNode) {
                return migrator.outcome(migrationId, sourceNode);
            }
        };
    }

    static PlanStore store(PlanStore store, LeaseHolder lease) {
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
            public RebalancePlanResource create(RebalancePlanResource plan) {
                lease.check("creating a plan");
                return store.create(plan);
            }

            @Override
            public RebalancePlanResource updateStatus(RebalancePlanResource plan) {
                lease.check("writing the journal of plan " + plan.getMetadata().getName());
                return store.updateStatus(plan);
            }

            @Override
            public void delete(String name) {
                lease.check("deleting plan " + name);
                store.delete(name);
            }

            @Override
            public Optional<OptimizationPolicy> policy(String name) {
                return store.policy(name);
            }
        };
    }
}

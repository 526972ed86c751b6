package dev.kompact.executor.snapshot;

import dev.kompact.executor.cloud.CatalogSource;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotDocument.NodeDocument;
import dev.kompact.optimizer.snapshot.SnapshotProblem;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the cluster in memory through informers on Nodes, Pods, PodDisruptionBudgets, PersistentVolumes and
 * PersistentVolumeClaims, so that each planning interval starts from a current snapshot without listing the whole
 * cluster again. Usage is asked of metrics.k8s.io per snapshot: metrics cannot be watched.
 */
public final class ClusterObserver implements AutoCloseable {

    private final KubernetesClient client;
    private final CatalogSource catalog;
    private final String clusterName;
    private final PodUsage usage;
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<PodDisruptionBudget> budgets;
    private SharedIndexInformer<PersistentVolume> volumes;
    private SharedIndexInformer<PersistentVolumeClaim> claims;

    /** @param catalog asked once per snapshot, so node prices and offerings follow a live catalogue's refreshes */
    public ClusterObserver(KubernetesClient client, CatalogSource catalog, String clusterName) {
        this.client = client;
        this.catalog = catalog;
        this.clusterName = clusterName;
        this.usage = new PodUsage(client);
    }

    /** Starts the informers and returns once each has listed its kind. */
    public synchronized void start() {
        if (nodes != null) {
            return;
        }
        nodes = client.nodes().inform();
        pods = client.pods().inAnyNamespace().inform();
        budgets = client.policy().v1().podDisruptionBudget().inAnyNamespace().inform();
        volumes = client.persistentVolumes().inform();
        claims = client.persistentVolumeClaims().inAnyNamespace().inform();
    }

    public boolean isSynced() {
        return nodes != null
                && nodes.hasSynced()
                && pods.hasSynced()
                && budgets.hasSynced()
                && volumes.hasSynced()
                && claims.hasSynced();
    }

    public SnapshotDocument document() {
        return document(catalog.current());
    }

    private SnapshotDocument document(InstanceCatalog prices) {
        if (!isSynced()) {
            throw new IllegalStateException("the cluster informers have not synced yet: call start() first");
        }
        return new SnapshotDocuments(prices)
                .of(
                        clusterName,
                        List.copyOf(nodes.getStore().list()),
                        List.copyOf(pods.getStore().list()),
                        List.copyOf(budgets.getStore().list()),
                        new VolumeZones(
                                List.copyOf(volumes.getStore().list()),
                                List.copyOf(claims.getStore().list())),
                        usage.byPod());
    }

    public ClusterSnapshot snapshot() throws InvalidSnapshotException {
        InstanceCatalog current = catalog.current();
        SnapshotDocument document = document(current);
        List<SnapshotProblem> unpriced = unpriced(document);
        if (!unpriced.isEmpty()) {
            throw new InvalidSnapshotException("cluster " + clusterName, unpriced);
        }
        return new SnapshotReader(current).read(document, "cluster " + clusterName);
    }

    /**
     * A live node no catalogue prices is no fault of a document, as the reader's "missing" would suggest: say which
     * catalogues were asked and what to check.
     */
    private static List<SnapshotProblem> unpriced(SnapshotDocument document) {
        List<SnapshotProblem> problems = new ArrayList<>();
        for (int i = 0; i < document.nodes().size(); i++) {
            NodeDocument node = document.nodes().get(i);
            if (node.pricePerHour() == null && node.instanceType() != null) {
                String capacityType = node.capacityType() == null ? "on-demand" : node.capacityType();
                problems.add(new SnapshotProblem(
                        "nodes[" + i + "].pricePerHour",
                        "node \"" + node.name()
                                + "\" runs instance type \"" + node.instanceType() + "\" (" + capacityType
                                + "), which neither the"
                                + " live catalogue nor the bundled one prices; check the node's instance-type label, or upgrade Kompact"
                                + " for a newer bundled catalogue"));
            }
        }
        return problems;
    }

    @Override
    public synchronized void close() {
        for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {nodes, pods, budgets, volumes, claims}) {
            if (informer != null) {
                informer.close();
            }
        }
    }
}

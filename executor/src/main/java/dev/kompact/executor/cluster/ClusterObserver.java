package dev.kompact.executor.cluster;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/**
 * Keeps the cluster in memory through informers on Nodes, Pods, PodDisruptionBudgets, PersistentVolumes and
 * PersistentVolumeClaims, so that each planning interval starts from a current snapshot without listing the whole
 * cluster again. Usage is asked of metrics.k8s.io per snapshot: metrics cannot be watched.
 */
public final class ClusterObserver implements AutoCloseable {

  private final KubernetesClient client;
  private final SnapshotDocuments documents;
  private final InstanceCatalog catalog;
  private final String clusterName;
  private final PodUsage usage;
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<PodDisruptionBudget> budgets;
  private SharedIndexInformer<PersistentVolume> volumes;
  private SharedIndexInformer<PersistentVolumeClaim> claims;

  public ClusterObserver(KubernetesClient client, InstanceCatalog catalog, String clusterName) {
    this.client = client;
    this.catalog = catalog;
    this.documents = new SnapshotDocuments(catalog);
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
    return nodes != null && nodes.hasSynced() && pods.hasSynced() && budgets.hasSynced() && volumes.hasSynced()
        && claims.hasSynced();
  }

  public SnapshotDocument document() {
    if (!isSynced()) {
      throw new IllegalStateException("the cluster informers have not synced yet: call start() first");
    }
    return documents.of(clusterName, List.copyOf(nodes.getStore().list()), List.copyOf(pods.getStore().list()),
        List.copyOf(budgets.getStore().list()),
        new VolumeZones(List.copyOf(volumes.getStore().list()), List.copyOf(claims.getStore().list())),
        usage.byPod());
  }

  public ClusterSnapshot snapshot() throws InvalidSnapshotException {
    return SnapshotJson.read(document(), catalog, "cluster " + clusterName);
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

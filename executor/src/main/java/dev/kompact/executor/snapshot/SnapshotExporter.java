package dev.kompact.executor.snapshot;

import dev.kompact.executor.cluster.ClusterConnection;
import dev.kompact.executor.cluster.ClusterUnreachableException;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A live cluster as a snapshot document: one list each of nodes, pods, PodDisruptionBudgets, PersistentVolumes and
 * PersistentVolumeClaims, and the pods' usage when the cluster serves metrics.k8s.io.
 */
public final class SnapshotExporter {

    private final KubernetesClient client;
    private final SnapshotDocuments documents;
    private final PodUsage usage;

    public SnapshotExporter(KubernetesClient client, InstanceCatalog catalog) {
        this.client = client;
        this.documents = new SnapshotDocuments(catalog);
        this.usage = new PodUsage(client);
    }

    /**
     * For {@code kompact snapshot} and {@code kompact report}: the cluster the kubeconfig points at.
     *
     * @param kubeconfig null for $KUBECONFIG, ~/.kube/config or the in-cluster service account
     * @param context null for the kubeconfig's current context
     * @param catalog what nodes are priced from
     */
    public static SnapshotDocument fromKubeconfig(
            Path kubeconfig, String context, String clusterName, InstanceCatalog catalog) throws IOException {
        try (KubernetesClient client = ClusterConnection.open(kubeconfig, context)) {
            try {
                return new SnapshotExporter(client, catalog).export(clusterName);
            } catch (KubernetesClientException e) {
                throw new ClusterUnreachableException(ClusterConnection.tried(client.getConfiguration()), e);
            }
        }
    }

    public SnapshotDocument export(String clusterName) {
        return documents.of(
                clusterName,
                client.nodes().list().getItems(),
                client.pods().inAnyNamespace().list().getItems(),
                client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inAnyNamespace()
                        .list()
                        .getItems(),
                new VolumeZones(
                        client.persistentVolumes().list().getItems(),
                        client.persistentVolumeClaims().inAnyNamespace().list().getItems()),
                usage.byPod());
    }
}

package dev.kompact.executor.snapshot;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts {@code kubectl get nodes,pods,pdb,pv,pvc -A -o json} (a v1 List) to a snapshot document, so that a user
 * can get a savings report without giving Kompact any access to the cluster. PersistentVolumes and their claims are
 * optional (a dump of {@code nodes,pods,pdb} still converts) and give pods their volume zones. Items of other kinds
 * are ignored. A dump holds no usage: that is not an object kubectl lists.
 */
public final class KubectlDumpConverter {

    private static final String COMMAND = "kubectl get nodes,pods,pdb,pv,pvc -A -o json > ";

    private final SnapshotDocuments documents;

    public KubectlDumpConverter(InstanceCatalog catalog) {
        this.documents = new SnapshotDocuments(catalog);
    }

    public SnapshotDocument convert(Path dump) throws IOException {
        try (InputStream in = Files.newInputStream(dump)) {
            return convert(in, dump.toString(), clusterName(dump));
        }
    }

    /**
     * @throws IllegalArgumentException naming {@code source} when it is not a List of Kubernetes objects
     */
    public SnapshotDocument convert(InputStream in, String source, String clusterName) {
        Object parsed;
        try {
            parsed = new KubernetesSerialization().unmarshal(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    source + " is not Kubernetes JSON: " + e.getMessage() + ". Produce it with: " + COMMAND + source,
                    e);
        }
        if (!(parsed instanceof KubernetesList list)) {
            throw new IllegalArgumentException(
                    source + " holds " + describe(parsed) + ", not a List. Produce it with: " + COMMAND + source);
        }
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        List<PersistentVolume> volumes = new ArrayList<>();
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        Map<String, Integer> ignored = new TreeMap<>();
        for (HasMetadata item : list.getItems()) {
            if (item instanceof Node node) {
                nodes.add(node);
            } else if (item instanceof Pod pod) {
                pods.add(pod);
            } else if (item instanceof PodDisruptionBudget budget) {
                budgets.add(budget);
            } else if (item instanceof PersistentVolume volume) {
                volumes.add(volume);
            } else if (item instanceof PersistentVolumeClaim claim) {
                claims.add(claim);
            } else {
                ignored.merge(item.getKind(), 1, Integer::sum);
            }
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no Node"
                    + (ignored.isEmpty() ? "" : " (only " + ignored + ")") + ". Produce it with: " + COMMAND + source);
        }
        return documents.of(clusterName, nodes, pods, budgets, new VolumeZones(volumes, claims), Map.of());
    }

    private static String describe(Object parsed) {
        return parsed instanceof HasMetadata object ? "a single " + object.getKind() : "no Kubernetes object";
    }

    private static String clusterName(Path dump) {
        String file = dump.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}

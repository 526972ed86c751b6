package dev.kompact.executor.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Converts what kubectl writes ({@code kubectl get nodes,pods,pdb,pv,pvc -A -o json}, typed lists, YAML, a
 * {@code kubectl cluster-info dump}; see {@link KubectlObjects}) to a snapshot document, so that a user can get a
 * savings report without giving Kompact any access to the cluster. Several files are one cluster. PersistentVolumes
 * and their claims are optional and give pods their volume zones; objects of other kinds are counted and ignored. A
 * dump holds no usage: that is not an object kubectl lists.
 */
public final class KubectlDumpConverter {

    public static final String COMMAND = "kubectl get nodes,pods,pdb,pv,pvc -A -o json > dump.json";

    private final SnapshotDocuments documents;

    public KubectlDumpConverter(InstanceCatalog catalog) {
        this.documents = new SnapshotDocuments(catalog);
    }

    /** @param sources files, or directories such as {@code kubectl cluster-info dump --output-directory} writes */
    public SnapshotDocument convert(List<Path> sources, String clusterName) throws IOException {
        KubectlObjects objects = new KubectlObjects();
        for (Path source : sources) {
            if (!Files.exists(source)) {
                throw new NoSuchFileException(source.toString());
            }
            objects.addPath(source);
        }
        return convert(
                objects, String.join(", ", sources.stream().map(Path::toString).toList()), clusterName);
    }

    /** @throws IllegalArgumentException naming {@code source} when it holds no Kubernetes nodes */
    public SnapshotDocument convert(InputStream in, String source, String clusterName) throws IOException {
        KubectlObjects objects = new KubectlObjects();
        objects.add(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        return convert(objects, source, clusterName);
    }

    private SnapshotDocument convert(KubectlObjects objects, String source, String clusterName) {
        if (objects.nodes.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no Node"
                    + (objects.count() + objects.ignored.size() == 0 ? "" : " (only " + found(objects) + ")")
                    + ". Produce it with: " + COMMAND);
        }
        return documents.of(
                clusterName,
                objects.nodes,
                objects.pods,
                objects.budgets,
                new VolumeZones(objects.volumes, objects.claims),
                Map.of());
    }

    private static String found(KubectlObjects objects) {
        StringBuilder kinds = new StringBuilder();
        append(kinds, "Pod", objects.pods.size());
        append(kinds, "PodDisruptionBudget", objects.budgets.size());
        append(kinds, "PersistentVolume", objects.volumes.size());
        append(kinds, "PersistentVolumeClaim", objects.claims.size());
        objects.ignored.forEach((kind, count) -> append(kinds, kind, count));
        return kinds.toString();
    }

    private static void append(StringBuilder kinds, String kind, int count) {
        if (count > 0) {
            kinds.append(kinds.isEmpty() ? "" : ", ").append(count).append(' ').append(kind);
        }
    }

    /**
     * Whether {@code path} is something kubectl wrote rather than a ClusterSnapshot: a directory (a cluster-info
     * dump), YAML, or JSON whose first object is of another kind. A file that cannot be told apart is left to the
     * snapshot reader, whose errors name its problems.
     */
    public static boolean isKubectlOutput(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return true;
        }
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String text = Files.readString(path).strip();
        if (text.isEmpty()) {
            return false;
        }
        if (!text.startsWith("{")) {
            return !text.startsWith("[");
        }
        try (var parser = new JsonFactory().createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("kind")) {
                    return !SnapshotDocument.KIND.equals(parser.getValueAsString());
                }
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The cluster name a dump file stands for: its file name without the extension. */
    public static String clusterName(Path dump) {
        String file = dump.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}

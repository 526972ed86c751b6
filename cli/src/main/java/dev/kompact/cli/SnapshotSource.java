package dev.kompact.cli;

import dev.kompact.executor.snapshot.ConversionSummary;
import dev.kompact.executor.snapshot.KubectlDumpConverter;
import dev.kompact.executor.snapshot.SnapshotExporter;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a command's cluster comes from: a live cluster, a snapshot file, kubectl's output (converted as
 * {@code kompact snapshot --from-kubectl} would, and said so on stderr), or the bundled sample when none is given.
 */
final class SnapshotSource {

    static final String SAMPLE_RESOURCE = "/dev/kompact/optimizer/sample/sample-cluster.json";

    private SnapshotSource() {}

    static ClusterSnapshot load(PlanningOptions options, PrintWriter err) throws IOException, InvalidSnapshotException {
        InstanceCatalog catalog = options.prices.catalog();
        if (options.kubeconfig != null || options.context != null) {
            if (options.snapshot != null) {
                throw new IllegalArgumentException("give either --snapshot or --kubeconfig/--context, not both");
            }
            String name = options.context != null ? options.context : "cluster";
            SnapshotDocument document =
                    SnapshotExporter.fromKubeconfig(options.kubeconfig, options.context, name, catalog);
            return new SnapshotReader(catalog).read(document, "cluster " + name);
        }
        return load(options.snapshot, catalog, err);
    }

    static ClusterSnapshot load(Path file, InstanceCatalog catalog, PrintWriter err)
            throws IOException, InvalidSnapshotException {
        SnapshotReader reader = new SnapshotReader(catalog);
        if (file != null && KubectlDumpConverter.isKubectlOutput(file)) {
            SnapshotDocument document =
                    new KubectlDumpConverter(catalog).convert(List.of(file), KubectlDumpConverter.clusterName(file));
            err.println("kompact: " + file + " is kubectl output, not a ClusterSnapshot: converted as 'kompact snapshot"
                    + " --from-kubectl " + file + "' would: " + ConversionSummary.of(document, catalog));
            return reader.read(document, file.toString());
        }
        if (file != null) {
            return reader.read(file);
        }
        try (InputStream in = SnapshotSource.class.getResourceAsStream(SAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IOException("the bundled sample cluster " + SAMPLE_RESOURCE + " is missing from the jar");
            }
            return reader.read(in, "bundled sample cluster");
        }
    }
}

package dev.kompact.optimizer.testing;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.nio.file.Path;

/** The snapshots under src/test/resources/snapshots, read as the CLI reads them. */
public final class Snapshots {

    private Snapshots() {}

    public static ClusterSnapshot read(String name) throws Exception {
        return new SnapshotReader(InstanceCatalog.bundled()).read(Path.of("src/test/resources/snapshots", name));
    }
}

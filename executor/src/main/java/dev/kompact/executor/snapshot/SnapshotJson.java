package dev.kompact.executor.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.snapshot.SnapshotDocument;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A snapshot document as JSON, and into the model through {@link SnapshotReader}, so that a live cluster is held to
 * exactly the rules a snapshot file is.
 */
public final class SnapshotJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SnapshotJson() {}

    public static String write(SnapshotDocument document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write snapshot document " + document.metadata(), e);
        }
    }

    public static ClusterSnapshot read(SnapshotDocument document, InstanceCatalog catalog, String source)
            throws InvalidSnapshotException {
        try {
            return new SnapshotReader(catalog)
                    .read(new ByteArrayInputStream(write(document).getBytes()), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the snapshot of " + source, e);
        }
    }
}

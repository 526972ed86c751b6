package dev.kompact.executor.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kompact.optimizer.snapshot.SnapshotDocument;

/** A snapshot document as the JSON text {@code kompact snapshot} prints and {@code kompact plan} reads. */
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
}

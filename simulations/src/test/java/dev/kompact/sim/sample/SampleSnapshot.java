package dev.kompact.sim.sample;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import dev.kompact.optimizer.snapshot.InvalidSnapshotException;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed sample as the optimizer loads it: from the classpath, through the snapshot reader. */
final class SampleSnapshot {

    static final String RESOURCE = "/dev/kompact/optimizer/sample/sample-cluster.json";

    private SampleSnapshot() {}

    static String text() {
        try (InputStream in = open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClusterSnapshot read() throws IOException, InvalidSnapshotException {
        try (InputStream in = open()) {
            return new SnapshotReader(InstanceCatalog.bundled()).read(in, RESOURCE);
        }
    }

    /** What the pods bound to {@code node} request, each also taking one of the node's pod slots. */
    static ResourceList requestedOn(ClusterSnapshot snapshot, Node node) {
        ResourceList sum = ResourceList.EMPTY;
        for (Pod pod : snapshot.pods()) {
            if (node.name().equals(pod.nodeName())) {
                sum = sum.plus(pod.requests().with(ResourceNames.PODS, 1));
            }
        }
        return sum;
    }

    private static InputStream open() {
        InputStream in = SampleSnapshot.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is not on the classpath: build the optimizer module");
        }
        return in;
    }
}

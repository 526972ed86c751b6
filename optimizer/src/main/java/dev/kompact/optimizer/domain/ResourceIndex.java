package dev.kompact.optimizer.domain;

import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.util.List;

/**
 * The resources a problem tracks, as positions in {@code long[]} vectors so that load sums stay cheap. Always holds
 * cpu, memory and pods (every pod takes one of its node's pod slots), then whatever else pods request.
 */
public final class ResourceIndex {

    private static final long MEBIBYTE = 1L << 20;

    private final List<String> names;

    public ResourceIndex(List<String> names) {
        this.names = List.copyOf(names);
    }

    public int size() {
        return names.size();
    }

    public String name(int i) {
        return names.get(i);
    }

    public long[] vector(ResourceList resources) {
        long[] vector = new long[names.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = resources.get(names.get(i));
        }
        return vector;
    }

    /** A pod's demand: its requests plus the one pod slot it occupies. */
    public long[] demand(ResourceList requests) {
        return vector(requests.with(ResourceNames.PODS, 1));
    }

    /** Overage in score units: bytes count per started MiB so that memory does not drown CPU in the hard score. */
    public long scoreUnits(int i, long amount) {
        return ResourceNames.isBytes(names.get(i)) ? (amount + MEBIBYTE - 1) / MEBIBYTE : amount;
    }
}

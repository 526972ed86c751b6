package dev.kompact.sim.replay;

import java.util.Comparator;
import java.util.List;

/** Pods in order of creation, the trace's own node list (empty when it has none), and when the trace ends. */
public record Trace(String name, List<TracePod> pods, List<TraceNode> nodes) {

    public Trace {
        pods = pods.stream()
                .sorted(Comparator.comparingLong(TracePod::createdSeconds).thenComparing(TracePod::name))
                .toList();
        nodes = List.copyOf(nodes);
    }

    public long endSeconds() {
        return pods.stream().mapToLong(TracePod::deletedSeconds).max().orElse(0);
    }

    /** The pods created before {@code seconds}, their deletion cut to it: the first part of a long trace. */
    public Trace until(long seconds) {
        return new Trace(
                name,
                pods.stream()
                        .filter(p -> p.createdSeconds() < seconds)
                        .map(p -> new TracePod(
                                p.name(),
                                p.group(),
                                p.cpuMillis(),
                                p.memoryBytes(),
                                p.gpus(),
                                p.createdSeconds(),
                                Math.min(p.deletedSeconds(), seconds),
                                p.hostnameSpread()))
                        .toList(),
                nodes);
    }
}

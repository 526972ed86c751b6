package dev.kompact.agent.bench;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.testing.Containerd;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.testing.KubeletStandIn;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.PodContainer;
import dev.kompact.agent.v1.PodMigrateRequest;
import dev.kompact.agent.v1.PodRef;
import dev.kompact.agent.v1.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pod handoff figures through real containerd (needs root, install-test-deps.sh and a C compiler): a pod of two
 * containers, the counter server and a workload holding a given memory and dirtying it at a steady rate, is moved
 * from one containerd node to another, each move a fresh pod into a new target pod (RuntimeClass kompact-restore); the
 * medians of the freeze (checkpoint + transfer + restore), CRIU's own dump and restore within it, and the client's
 * longest pause are printed, with where the target's restore time went (waiting for the kubelet to create each
 * container, runc restore) from the target agent's log.
 *
 * <p>Run: {@code node-agent/scripts/bench-migration.sh --containerd [--sizes 64,256] [--runs 3]}
 */
public final class PodMigrationBenchmark {
    private PodMigrationBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(64, 256);
        int runs = 3;
        int dirtyRate = 16;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--sizes" ->
                    sizes = Arrays.stream(args[i + 1].split(","))
                            .map(Integer::valueOf)
                            .toList();
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--dirty-mib-per-s" -> dirtyRate = Integer.parseInt(args[i + 1]);
                default ->
                    throw new IllegalArgumentException("unknown flag " + args[i] + "; see PodMigrationBenchmark");
            }
        }
        HostTools.containerdMissing().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        Path work = Files.createTempDirectory("kompact-pod-bench");
        List<String> rows = new ArrayList<>();
        try (EmulatedCluster cluster =
                EmulatedCluster.create(work).withImageBinaries(List.of(MigrationBenchmark.compileWorkload(work)))) {
            ContainerdNode[] nodes = {
                cluster.startContainerdNode("podA", "10.213.0.10"), cluster.startContainerdNode("podB", "10.213.0.50")
            };
            for (int mib : sizes) {
                rows.add(measure(cluster, nodes, mib, dirtyRate, runs));
            }
        } finally {
            Commands.run(Duration.ofMinutes(1), "rm", "-rf", work.toString());
        }
        System.out.println();
        System.out.printf(
                "%8s %6s %4s %10s %22s %16s %13s%n",
                "memory", "dirty", "runs", "freeze", "= ckpt + xfer + rest", "CRIU: dump + rest", "client pause");
        rows.forEach(System.out::println);
    }

    private static String measure(EmulatedCluster cluster, ContainerdNode[] nodes, int mib, int dirtyRate, int runs)
            throws Exception {
        long[][] figures = new long[6][runs];
        String hog = "exec /bin/memhog " + mib + " " + dirtyRate;
        // a fresh pod per move, always A to B: a restored pod cannot be checkpointed again yet (CRIU: "Unable to open
        // fd=0"); move 0 warms up, agents are long-lived in a cluster and a fresh JVM's first transfer is not typical
        for (int move = 0; move <= runs; move++) {
            ContainerdNode from = nodes[0];
            ContainerdNode to = nodes[1];
            String id = "hog" + mib + "-m" + move;
            String target = id + "-t";
            KubeletStandIn.RunningPod running = from.kubelet().run(pod(id, "", Map.of(), hog));
            Thread.sleep(200L + mib * 2L); // memhog touches its memory first
            try (CounterClient client =
                    CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, running.ip(), CounterPod.PORT)) {
                client.awaitMoreExchanges(10, 10_000);
                CompletableFuture<KubeletStandIn.RunningPod> moved = CompletableFuture.supplyAsync(() -> {
                    try {
                        return to.kubelet()
                                .run(pod(target, Containerd.RESTORE_HANDLER, Map.of("kompact.dev/restore", id), hog));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                client.resetLongestPause();
                MigrationStatus status = cluster.agent(from.agent()).migratePod(request(id, target, running, to));
                KubeletStandIn.RunningPod arrived = moved.get(2, TimeUnit.MINUTES);
                client.awaitMoreExchanges(5, 30_000);
                var t = status.getTimings();
                System.out.printf(
                        "%d MiB move %d: freeze %d ms (checkpoint %d of which CRIU %d, transfer %d, restore %d of which"
                                + " CRIU %d), client pause %d ms, image %d KiB; target: %s%n",
                        mib,
                        move,
                        t.getFreezeMillis(),
                        t.getCheckpointMillis(),
                        t.getCriuCheckpointMillis(),
                        t.getTransferMillis(),
                        t.getRestoreMillis(),
                        t.getCriuRestoreMillis(),
                        client.longestPauseMillis(),
                        status.getImageBytes() >> 10,
                        restoreLines(to, id));
                to.kubelet().remove(arrived);
                if (move > 0) {
                    long[] values = {
                        t.getFreezeMillis(),
                        t.getCheckpointMillis(),
                        t.getTransferMillis(),
                        t.getRestoreMillis(),
                        t.getCriuCheckpointMillis() + t.getCriuRestoreMillis(),
                        client.longestPauseMillis()
                    };
                    for (int f = 0; f < values.length; f++) {
                        figures[f][move - 1] = values[f];
                    }
                }
            } finally {
                from.kubelet().remove(running);
            }
        }
        return String.format(
                "%5d Mi %3d/s %4d %7d ms %6d + %5d + %5d ms %13d ms %10d ms",
                mib,
                dirtyRate,
                runs,
                MigrationBenchmark.median(figures[0]),
                MigrationBenchmark.median(figures[1]),
                MigrationBenchmark.median(figures[2]),
                MigrationBenchmark.median(figures[3]),
                MigrationBenchmark.median(figures[4]),
                MigrationBenchmark.median(figures[5]));
    }

    private static KubeletStandIn.Pod pod(String name, String handler, Map<String, String> annotations, String hog) {
        return new KubeletStandIn.Pod(
                "bench",
                name,
                "uid-" + name,
                handler,
                annotations,
                List.of(
                        new KubeletStandIn.Container("server", "exec nc -l -p " + CounterPod.PORT + " -e /bin/counter"),
                        new KubeletStandIn.Container("memhog", hog)));
    }

    private static PodMigrateRequest request(
            String id, String target, KubeletStandIn.RunningPod pod, ContainerdNode to) {
        var request = PodMigrateRequest.newBuilder()
                .setMigrationId(id)
                .setTargetAddress(to.agent().address())
                .setTargetNode(to.name())
                .setStrategy(Strategy.STOP_AND_COPY)
                .setSourcePod(PodRef.newBuilder().setNamespace("bench").setName(pod.name()))
                .setTargetPod(PodRef.newBuilder().setNamespace("bench").setName(target));
        pod.containerIds()
                .forEach((name, containerId) -> request.addContainers(
                        PodContainer.newBuilder().setName(name).setContainerId(containerId)));
        return request.build();
    }

    private static String restoreLines(ContainerdNode node, String id) throws Exception {
        return String.join(
                "; ",
                node.agent()
                        .log()
                        .lines()
                        .filter(l -> l.contains("pod migration " + id + ": container"))
                        .map(l -> l.substring(l.indexOf("container ")))
                        .toList());
    }
}

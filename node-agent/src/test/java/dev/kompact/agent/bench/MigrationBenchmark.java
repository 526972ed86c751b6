package dev.kompact.agent.bench;

import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.testing.AgentProcess;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.v1.MigrateRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.NodeAgentGrpc;
import dev.kompact.agent.v1.Strategy;
import io.grpc.ManagedChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Live-migration figures on an emulated cluster (needs root and install-test-deps.sh, plus a C compiler): for each
 * memory size, a pod holding that much memory and dirtying it at a steady rate is migrated back and forth between
 * two agents with each strategy both nodes offer (post-copy, pre-copy, stop-and-copy), and the medians of freeze (pod
 * stopped: checkpoint + transfer + restore), of which CRIU's own dump and restore (from its logs: the floor no agent
 * or runtime work can go below), pause seen by a TCP client, post-copy page fetch after the pod runs again, and total
 * time are printed.
 *
 * <p>Run: {@code node-agent/scripts/bench-migration.sh [--sizes 64,256,1024] [--runs 3] [--dirty-mib-per-s 16]}
 */
public final class MigrationBenchmark {
    private MigrationBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = List.of(64, 256, 1024);
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
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; see MigrationBenchmark");
            }
        }
        HostTools.liveMigrationMissing().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        Path work = Files.createTempDirectory("kompact-bench");
        Path memhog = compileWorkload(work);
        List<String> rows = new ArrayList<>();
        try (EmulatedCluster cluster = EmulatedCluster.create(work)) {
            AgentProcess[] nodes = {cluster.startAgent("benchA"), cluster.startAgent("benchB")};
            List<Strategy> strategies = strategies(cluster, nodes[0]);
            int pods = 0;
            for (int mib : sizes) {
                for (Strategy strategy : strategies) {
                    // a pod per strategy: the counter serves one connection, and the pod ends with it
                    pods++;
                    CounterPod pod = cluster.startCounterPod(
                            "benchA",
                            "hog" + mib + "-" + pods,
                            "10.213.0." + (40 + pods) + "/24",
                            "/bin/memhog " + mib + " " + dirtyRate,
                            List.of(memhog));
                    Thread.sleep(200L + mib * 2L); // memhog touches its memory first
                    rows.add(measure(cluster, nodes, pod, mib, dirtyRate, strategy, runs));
                    Commands.run(
                            Duration.ofMinutes(1),
                            "runc",
                            "--root",
                            AgentProcess.runcRoot(work, "benchA").toString(),
                            "delete",
                            "-f",
                            pod.id());
                }
            }
        } finally {
            Commands.run(Duration.ofMinutes(1), "rm", "-rf", work.toString());
        }
        System.out.println();
        System.out.printf(
                "%8s %6s %-14s %4s %10s %22s %16s %13s %10s %10s %8s%n",
                "memory",
                "dirty",
                "strategy",
                "runs",
                "freeze",
                "= ckpt + xfer + rest",
                "CRIU: dump + rest",
                "client pause",
                "pages",
                "total",
                "image");
        rows.forEach(System.out::println);
    }

    private static String measure(
            EmulatedCluster cluster,
            AgentProcess[] nodes,
            CounterPod pod,
            int mib,
            int dirtyRate,
            Strategy strategy,
            int runs)
            throws Exception {
        long[] freeze = new long[runs];
        long[] pause = new long[runs];
        long[] total = new long[runs];
        long[] checkpoint = new long[runs];
        long[] transfer = new long[runs];
        long[] restore = new long[runs];
        long[] criuCheckpoint = new long[runs];
        long[] criuRestore = new long[runs];
        long[] pages = new long[runs];
        long image = 0;
        try (CounterClient client =
                CounterClient.connect(EmulatedCluster.CLIENT_NAMESPACE, pod.ip(), CounterPod.PORT)) {
            client.awaitMoreExchanges(10, 10_000);
            // run -1 warms up: agents are long-lived in a cluster, their first transfer in a fresh JVM is not typical
            for (int run = -1; run < runs; run++) {
                AgentProcess from = nodes[(run + 1) % 2];
                AgentProcess to = nodes[run % 2 == 0 ? 0 : 1];
                client.resetLongestPause();
                MigrationStatus status;
                ManagedChannel channel = cluster.controllerTls().channelTo(from.address());
                try {
                    status = NodeAgentGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.MINUTES)
                            .migrate(MigrateRequest.newBuilder()
                                    .setMigrationId(pod.id() + "-" + strategy + "-" + (run + 1))
                                    .setContainerId(pod.id())
                                    .setTargetAddress(to.address())
                                    .setTargetNode(to.node())
                                    .setStrategy(strategy)
                                    .build());
                } finally {
                    channel.shutdownNow();
                }
                client.awaitMoreExchanges(5, 30_000);
                if (run < 0) {
                    continue;
                }
                freeze[run] = status.getTimings().getFreezeMillis();
                pause[run] = client.longestPauseMillis();
                total[run] = status.getTimings().getTotalMillis();
                image = status.getImageBytes();
                var t = status.getTimings();
                checkpoint[run] = t.getCheckpointMillis();
                transfer[run] = t.getTransferMillis();
                restore[run] = t.getRestoreMillis();
                criuCheckpoint[run] = t.getCriuCheckpointMillis();
                criuRestore[run] = t.getCriuRestoreMillis();
                pages[run] = t.getPagesMillis();
                System.out.printf(
                        "%d MiB %s run %d: freeze %d ms (checkpoint %d of which CRIU %d, transfer %d, restore %d"
                                + " of which CRIU %d), client pause %d ms, pages %d ms after, total %d ms, image %d KiB%n",
                        mib,
                        strategy,
                        run + 1,
                        freeze[run],
                        checkpoint[run],
                        criuCheckpoint[run],
                        transfer[run],
                        restore[run],
                        criuRestore[run],
                        pause[run],
                        pages[run],
                        total[run],
                        image >> 10);
            }
        }
        return String.format(
                "%5d Mi %3d/s %-14s %4d %7d ms %6d + %5d + %5d ms %8d + %5d ms %10d ms %7d ms %7d ms %5d Mi",
                mib,
                dirtyRate,
                strategy,
                runs,
                median(freeze),
                median(checkpoint),
                median(transfer),
                median(restore),
                median(criuCheckpoint),
                median(criuRestore),
                median(pause),
                median(pages),
                median(total),
                image >> 20);
    }

    private static List<Strategy> strategies(EmulatedCluster cluster, AgentProcess node) throws Exception {
        ManagedChannel channel = cluster.controllerTls().channelTo(node.address());
        try {
            return NodeAgentGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .capabilities(dev.kompact.agent.v1.CapabilitiesRequest.getDefaultInstance())
                    .getStrategiesList();
        } finally {
            channel.shutdownNow();
        }
    }

    public static Path compileWorkload(Path work) throws Exception {
        Path source = work.resolve("memhog.c");
        try (InputStream in = MigrationBenchmark.class.getResourceAsStream("/bench/memhog.c")) {
            Files.copy(in, source);
        }
        Path binary = work.resolve("memhog");
        Commands.check(Duration.ofMinutes(1), "cc", "-O2", "-static", "-o", binary.toString(), source.toString());
        return binary;
    }

    public static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}

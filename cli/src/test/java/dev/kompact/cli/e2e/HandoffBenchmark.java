package dev.kompact.cli.e2e;

import dev.kompact.agent.bench.MigrationBenchmark;
import dev.kompact.agent.runtime.Commands;
import dev.kompact.agent.testing.ContainerdNode;
import dev.kompact.agent.testing.CounterClient;
import dev.kompact.agent.testing.CounterPod;
import dev.kompact.agent.testing.EmulatedCluster;
import dev.kompact.agent.testing.HostTools;
import dev.kompact.agent.v1.GetMigrationRequest;
import dev.kompact.agent.v1.MigrationStatus;
import dev.kompact.agent.v1.Timings;
import dev.kompact.executor.cluster.Pods;
import dev.kompact.executor.crd.PlanPhase;
import dev.kompact.executor.crd.RebalancePlanResource;
import dev.kompact.executor.crd.StepStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 14's whole-path figures (a benchmark, not a test; root, install-test-deps.sh and a C compiler): the shipped
 * controller, started on a {@link LiveCluster} with an Auto policy, moves a ReplicaSet's pod (the counter server and a
 * sidecar holding a given memory and dirtying it at a steady rate, a client connected) live from a fresh node X to the
 * kept node B and removes X. Each run prints when, after the controller started, each step of the path was seen (the
 * plan made, the handoff's phases from the plan's status, the target pod made and Ready, the source deleted, the plan
 * done), the agents' freeze with CRIU's own share of it, and the client's longest pause; then the medians over the
 * runs after the first (a warm-up: the agents' JVMs are cold).
 *
 * <p>Run: {@code cli/scripts/bench-handoff.sh [--mib 64] [--runs 3] [--dirty-mib-per-s 16]}
 */
public final class HandoffBenchmark {
    private static final String NAMESPACE = LiveCluster.NAMESPACE;
    /** What is printed per run, in the order the path reaches it; each a time since the controller started. */
    private static final List<String> MILESTONES =
            List.of("plan made", "Target", "target pod made", "Freezing", "Committed", "target Ready", "source gone");

    private HandoffBenchmark() {}

    public static void main(String[] args) throws Exception {
        int mib = 64;
        int runs = 3;
        int dirtyRate = 16;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> mib = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--dirty-mib-per-s" -> dirtyRate = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i] + "; see HandoffBenchmark");
            }
        }
        if (runs < 1 || runs > 12) {
            // in 10.213.0.0/24: B's CNI range .10-.49, the client .100, ten addresses per run from .110
            throw new IllegalArgumentException("--runs must be 1 to 12, not " + runs);
        }
        HostTools.containerdMissing().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        Path work = Files.createTempDirectory("kompact-handoff-bench");
        List<long[]> figures = new ArrayList<>();
        try (LiveCluster cluster = LiveCluster.start(work, List.of(MigrationBenchmark.compileWorkload(work)))) {
            cluster.consolidateAutomatically();
            ContainerdNode b = cluster.node("node-b", "10.213.0.10", "m5.large", "i-0b1");
            for (int run = 0; run <= runs; run++) {
                long[] row = measure(cluster, b, run, mib, dirtyRate);
                if (run > 0) {
                    figures.add(row);
                }
            }
        } finally {
            Commands.run(Duration.ofMinutes(1), "rm", "-rf", work.toString());
        }
        System.out.printf(
                "%nmedians of %d runs, %d MiB dirtied at %d MiB/s, ms since the controller started:%n",
                runs, mib, dirtyRate);
        System.out.println(header());
        long[] medians = new long[figures.get(0).length];
        for (int f = 0; f < medians.length; f++) {
            final int column = f;
            medians[f] = MigrationBenchmark.median(
                    figures.stream().mapToLong(r -> r[column]).toArray());
        }
        System.out.println(line("median", medians));
        long decisionToRunning = MigrationBenchmark.median(figures.stream()
                .mapToLong(r -> r[MILESTONES.indexOf("target Ready")] - r[MILESTONES.indexOf("plan made")])
                .toArray());
        long freeze = medians[MILESTONES.size()];
        long criu = medians[MILESTONES.size() + 1];
        System.out.printf(
                "decision to pod Ready on B: %d ms; freeze %d ms = %.2fx CRIU's own dump + restore (%d ms); client"
                        + " pause %d ms = freeze + %d ms%n",
                decisionToRunning,
                freeze,
                criu == 0 ? 0.0 : (double) freeze / criu,
                criu,
                medians[MILESTONES.size() + 2],
                medians[MILESTONES.size() + 2] - freeze);
    }

    /** One live move of a fresh pod from a fresh node: the milestones, then freeze, CRIU's share, client pause. */
    private static long[] measure(LiveCluster cluster, ContainerdNode b, int run, int mib, int dirtyRate)
            throws Exception {
        ContainerdNode x = cluster.node("node-x" + run, "10.213.0." + (110 + 10 * run), 10, "m5.4xlarge", "i-0x" + run);
        String app = "bench-" + run;
        String replicaSet = cluster.api.replicaSet(NAMESPACE, app);
        Pod source = cluster.runPod(LiveCluster.withMemoryHog(
                LiveCluster.replicaPod(app + "-1", app, replicaSet, x.name(), true), mib, dirtyRate));
        Thread.sleep(200L + mib * 2L); // memhog touches its memory first
        try (CounterClient client = CounterClient.connect(
                        EmulatedCluster.CLIENT_NAMESPACE, source.getStatus().getPodIP(), CounterPod.PORT);
                Milestones milestones =
                        new Milestones(cluster, source.getMetadata().getName())) {
            client.awaitMoreExchanges(10, 10_000);
            client.resetLongestPause();
            RebalancePlanResource plan = cluster.runController();
            if (plan.getStatus().phase != PlanPhase.Succeeded) {
                throw new IllegalStateException("run " + run + ": " + plan.getStatus().message);
            }
            StepStatus move = plan.getStatus().steps.stream()
                    .filter(s -> s.migrationId != null)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("run " + run + ": the plan moved nothing live"));
            MigrationStatus status = cluster.nodes
                    .agent(x.agent())
                    .getMigration(GetMigrationRequest.newBuilder()
                            .setMigrationId(move.migrationId)
                            .build());
            client.awaitMoreExchanges(5, 30_000);
            if (client.error() != null) {
                throw new IllegalStateException("run " + run + ": the client's connection broke: " + client.error());
            }
            Timings t = status.getTimings();
            long[] row = new long[MILESTONES.size() + 3];
            for (int m = 0; m < MILESTONES.size(); m++) {
                row[m] = milestones.millis(MILESTONES.get(m));
            }
            row[MILESTONES.size()] = t.getFreezeMillis();
            row[MILESTONES.size() + 1] = t.getCriuCheckpointMillis() + t.getCriuRestoreMillis();
            row[MILESTONES.size() + 2] = client.longestPauseMillis();
            if (run == 0) {
                System.out.println(header());
            }
            System.out.println(line("run " + run, row));
            System.out.printf(
                    "  freeze %d ms = checkpoint %d (CRIU %d) + transfer %d + restore %d (CRIU %d); plan: %s%n",
                    t.getFreezeMillis(),
                    t.getCheckpointMillis(),
                    t.getCriuCheckpointMillis(),
                    t.getTransferMillis(),
                    t.getRestoreMillis(),
                    t.getCriuRestoreMillis(),
                    plan.getStatus().message);
            // where the restore went on B: waiting for its kubelet to create each container, then runc restore
            b.agent()
                    .log()
                    .lines()
                    .filter(l -> l.contains("pod migration " + move.migrationId + ": container"))
                    .map(l -> "  " + l.substring(l.indexOf("container ")))
                    .forEach(System.out::println);
            return row;
        }
    }

    private static String header() {
        StringBuilder header = new StringBuilder(String.format("%-7s", ""));
        MILESTONES.forEach(m -> header.append(String.format(" %15s", m)));
        return header.append(String.format(" %7s %7s %7s", "freeze", "CRIU", "pause"))
                .toString();
    }

    private static String line(String label, long[] row) {
        StringBuilder line = new StringBuilder(String.format("%-7s", label));
        for (int f = 0; f < row.length; f++) {
            line.append(String.format(f < MILESTONES.size() ? " %15d" : " %7d", row[f]));
        }
        return line.toString();
    }

    /**
     * When each milestone of the move was first seen, from the moment it was made (when the controller is started
     * right after): the plan and its move's handoff phases through a watch of the plans, the target pod's and the
     * source's through a watch of the namespace's pods.
     */
    private static final class Milestones implements AutoCloseable {
        private final long start = System.nanoTime();
        private final Map<String, Long> seen = new ConcurrentHashMap<>();
        private final Watch plans;
        private final Watch pods;

        Milestones(LiveCluster cluster, String source) {
            Set<String> plansBefore = new HashSet<>();
            cluster.plans().forEach(p -> plansBefore.add(p.getMetadata().getName()));
            this.plans = cluster.api
                    .client()
                    .resources(RebalancePlanResource.class)
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, RebalancePlanResource plan) {
                            if (plansBefore.contains(plan.getMetadata().getName())) {
                                return;
                            }
                            mark("plan made");
                            if (plan.getStatus() != null) {
                                plan.getStatus().steps.stream()
                                        .filter(s -> s.handoff != null)
                                        .forEach(s -> mark(s.handoff.name()));
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {}
                    });
            this.pods = cluster.api.client().pods().inNamespace(NAMESPACE).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    if (name.startsWith(source + "-h")) {
                        mark("target pod made");
                        if (Pods.isReady(pod)) {
                            mark("target Ready");
                        }
                    } else if (name.equals(source) && action == Action.DELETED) {
                        mark("source gone");
                    }
                }

                @Override
                public void onClose(WatcherException cause) {}
            });
        }

        private void mark(String milestone) {
            seen.putIfAbsent(milestone, (System.nanoTime() - start) / 1_000_000);
        }

        /** When it was first seen, or -1 if never (a phase a move may skip, such as Address on a bridge). */
        long millis(String milestone) {
            return seen.getOrDefault(milestone, -1L);
        }

        @Override
        public void close() {
            plans.close();
            pods.close();
        }
    }
}

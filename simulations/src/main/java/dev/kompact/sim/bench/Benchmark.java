package dev.kompact.sim.bench;

import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.Node;
import dev.kompact.sim.baseline.BaselinePolicy;
import dev.kompact.sim.baseline.BaselineResult;
import dev.kompact.sim.baseline.ClusterAutoscalerScaleDown;
import dev.kompact.sim.baseline.FirstFitDecreasing;
import dev.kompact.sim.baseline.KarpenterConsolidation;
import dev.kompact.sim.baseline.PlacementAudit;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Kompact against the baselines on generated clusters of the given sizes: cost, the lower bound, moves, search times
 * and heap. A harness that prints figures, not a test. From the repository root, after building:
 * <pre>
 * mvn -B -q -pl simulations -am install -DskipTests
 * MAVEN_OPTS=-Xmx4g mvn -B -q -pl simulations exec:java -Dexec.mainClass=dev.kompact.sim.bench.Benchmark \
 *     -Dexec.args="100 1000 5000 --time-limit=60"
 * </pre>
 * or with a plain JVM:
 * <pre>
 * mvn -B -q -pl simulations dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -Xmx4g -cp simulations/target/classes:$(cat simulations/target/classpath.txt) \
 *     dev.kompact.sim.bench.Benchmark 100 1000
 * </pre>
 * Options: {@code --time-limit=SECONDS} (the solver's, default 60), {@code --seed=N} (the clusters'),
 * {@code --skip-baselines} (Kompact alone: the baselines judge with {@code ClusterState}, whose checks grow with the
 * cluster, and take longest at scale). Progress goes to standard error, the tables to standard output.
 */
public final class Benchmark {

    static final long DEFAULT_TIME_LIMIT_SECONDS = 60;

    private final PrintStream log = System.err;

    public static void main(String[] args) {
        List<Integer> sizes = new ArrayList<>();
        long timeLimit = DEFAULT_TIME_LIMIT_SECONDS;
        long seed = BenchClusterGenerator.DEFAULT_SEED;
        boolean baselines = true;
        for (String arg : args) {
            if (arg.startsWith("--time-limit=")) {
                timeLimit = Long.parseLong(arg.substring("--time-limit=".length()));
            } else if (arg.startsWith("--seed=")) {
                seed = Long.parseLong(arg.substring("--seed=".length()));
            } else if (arg.equals("--skip-baselines")) {
                baselines = false;
            } else if (arg.matches("\\d+")) {
                sizes.add(Integer.parseInt(arg));
            } else {
                throw new IllegalArgumentException("unknown argument " + arg
                        + "; usage: Benchmark [NODES...] [--time-limit=SECONDS] [--seed=N] [--skip-baselines]");
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1000, 5000);
        }
        Benchmark benchmark = new Benchmark();
        List<BenchRow> rows = new ArrayList<>();
        for (int size : sizes) {
            rows.add(benchmark.measure(size, seed, timeLimit, baselines));
            // printed after every size, so that a run stopped at the next one still leaves its figures
            BenchTable.print(System.out, rows);
        }
    }

    private BenchRow measure(int size, long seed, long timeLimitSeconds, boolean withBaselines) {
        long start = System.nanoTime();
        ClusterSnapshot snapshot = BenchClusterGenerator.generate(size, seed);
        long costBefore =
                snapshot.nodes().stream().mapToLong(Node::pricePerHourMicros).sum();
        log.printf(
                "[%d nodes] generated %d pods, %d budgets in %.1f s%n",
                size,
                snapshot.pods().size(),
                snapshot.podDisruptionBudgets().size(),
                seconds(System.nanoTime() - start));

        List<BaselineRun> baselines = new ArrayList<>();
        for (BaselinePolicy policy :
                List.of(new KarpenterConsolidation(), new ClusterAutoscalerScaleDown(), new FirstFitDecreasing())) {
            baselines.add(
                    withBaselines
                            ? runBaseline(policy, snapshot, size)
                            : new BaselineRun(policy.name(), null, 0, null));
        }
        log.printf("[%d nodes] Kompact, time limit %d s%n", size, timeLimitSeconds);
        KompactOutcome kompact = KompactRun.run(snapshot, Duration.ofSeconds(timeLimitSeconds));
        if (kompact.failure() != null) {
            log.printf("[%d nodes] Kompact failed after %.1f s:%n", size, kompact.wallMillis() / 1000.0);
            kompact.failure().printStackTrace(log);
        } else {
            log.printf(
                    "[%d nodes] Kompact done in %.1f s, %d violations%s%n",
                    size, kompact.wallMillis() / 1000.0, kompact.violations().size(), firstFew(kompact.violations()));
        }
        return new BenchRow(size, snapshot.pods().size(), costBefore, timeLimitSeconds, baselines, kompact);
    }

    private BaselineRun runBaseline(BaselinePolicy policy, ClusterSnapshot snapshot, int size) {
        try {
            BaselineResult result = policy.run(snapshot);
            List<String> violations = PlacementAudit.violations(snapshot, result.after());
            log.printf(
                    "[%d nodes] %s: %.1f s, %d removed, %d added, %d moves, %d violations%s%n",
                    size,
                    policy.name(),
                    result.millis() / 1000.0,
                    result.nodesRemoved().size(),
                    result.nodesAdded().size(),
                    result.moves(),
                    violations.size(),
                    firstFew(violations));
            return new BaselineRun(policy.name(), result, violations.size(), null);
        } catch (RuntimeException | OutOfMemoryError e) {
            log.printf("[%d nodes] %s failed:%n", size, policy.name());
            e.printStackTrace(log);
            return new BaselineRun(policy.name(), null, 0, e);
        }
    }

    private static String firstFew(List<String> violations) {
        return violations.isEmpty()
                ? ""
                : ", e.g. " + String.join("; ", violations.subList(0, Math.min(3, violations.size())));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}

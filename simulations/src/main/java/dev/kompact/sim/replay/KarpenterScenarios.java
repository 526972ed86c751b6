package dev.kompact.sim.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic traces in the shape of Karpenter's performance suite ({@code test/suites/perf}), drawn from a seed:
 * <ul>
 *   <li>{@code karpenter-scale}: 1,000 one-CPU pods arrive within a minute; after an hour 300 of them, chosen at
 *       random, are deleted; the other 700 run for another two hours.</li>
 *   <li>{@code karpenter-wide}: 100 deployments of 10 pods, each deployment of one size (0.25 to 4 CPUs, 0.5 to 4
 *       GiB per CPU), arriving over ten minutes and leaving at random between the first and the third hour.</li>
 *   <li>{@code karpenter-spread}: 20 deployments of 25 pods (0.5 CPU, 1 GiB) spread over hostnames with maxSkew 1;
 *       half the pods of each leave after an hour, the rest after two.</li>
 * </ul>
 */
public final class KarpenterScenarios {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "karpenter-scale", "1,000 pods up, then down to 700",
            "karpenter-wide", "100 deployments of 10 pods of mixed sizes",
            "karpenter-spread", "20 deployments of 25 pods spread over hostnames");

    private KarpenterScenarios() {}

    public static List<String> names() {
        return DESCRIPTIONS.keySet().stream().sorted().toList();
    }

    public static boolean isScenario(String name) {
        return DESCRIPTIONS.containsKey(name);
    }

    public static Trace generate(String name, long seed) {
        Random random = new Random(seed);
        List<TracePod> pods = new ArrayList<>();
        switch (name) {
            case "karpenter-scale" -> {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    order.add(i);
                }
                java.util.Collections.shuffle(order, random);
                for (int i = 0; i < 1000; i++) {
                    long created = random.nextInt(60);
                    long deleted = order.get(i) < 300 ? 3600 : 3 * 3600;
                    pods.add(new TracePod(
                            String.format("inflate-%04d", i), "inflate", 1000, GIB, 0, created, deleted, false));
                }
            }
            case "karpenter-wide" -> {
                for (int d = 0; d < 100; d++) {
                    long cpu = 250L * (1 + random.nextInt(16));
                    long memory = cpu * GIB / 1000 * (1 + random.nextInt(8)) / 2;
                    for (int i = 0; i < 10; i++) {
                        long created = random.nextInt(600);
                        long deleted = 3600 + random.nextInt(2 * 3600);
                        pods.add(new TracePod(
                                String.format("wide-%03d-%02d", d, i),
                                String.format("wide-%03d", d),
                                cpu,
                                memory,
                                0,
                                created,
                                deleted,
                                false));
                    }
                }
            }
            case "karpenter-spread" -> {
                for (int d = 0; d < 20; d++) {
                    for (int i = 0; i < 25; i++) {
                        long created = random.nextInt(120);
                        long deleted = i % 2 == 0 ? 3600 : 2 * 3600;
                        pods.add(new TracePod(
                                String.format("spread-%02d-%02d", d, i),
                                String.format("spread-%02d", d),
                                500,
                                GIB,
                                0,
                                created,
                                deleted,
                                true));
                    }
                }
            }
            default -> throw new IllegalArgumentException("no scenario named " + name + "; scenarios: " + names());
        }
        return new Trace(name, pods, List.of());
    }
}

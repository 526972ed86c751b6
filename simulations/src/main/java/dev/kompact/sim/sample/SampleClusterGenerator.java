package dev.kompact.sim.sample;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.LabelSelector;
import dev.kompact.optimizer.model.Node;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodDisruptionBudget;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.ResourceNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Generates Kompact's bundled sample cluster, the default input of {@code kompact report}: about fifty nodes of an
 * EKS cluster and the eight hundred pods of its workloads, requesting some 40% of what the nodes offer and using a
 * fraction of that, the shape measured across real clusters.
 *
 * <ol>
 *   <li>Build the node groups ({@link SampleNodes}).</li>
 *   <li>Draw each workload's pod template from its profile, then its pods with their names and observed usage.</li>
 *   <li>Bind the DaemonSet pods to their nodes, then schedule the rest by priority, in table order within a
 *       priority ({@link Placement}); the last replicas of a workload marked pending stay unbound.</li>
 *   <li>Compute each PodDisruptionBudget's status from the pods that run.</li>
 * </ol>
 *
 * <p>Every draw comes from one {@link Random} seeded with {@link #DEFAULT_SEED}, whose algorithm Java specifies, so
 * the output is byte-identical on every run. Regenerate the committed sample from the repository root with
 * <pre>
 * mvn -B -q -pl simulations -am install -DskipTests
 * mvn -B -q -pl simulations exec:java -Dexec.mainClass=dev.kompact.sim.sample.SampleClusterGenerator
 * </pre>
 * or pass another output path as the only argument.
 */
public final class SampleClusterGenerator {

    public static final long DEFAULT_SEED = 20240501L;
    public static final Path DEFAULT_OUTPUT =
            Path.of("optimizer/src/main/resources/dev/kompact/optimizer/sample/sample-cluster.json");
    private static final String APP_LABEL = "app.kubernetes.io/name";

    private final InstanceCatalog catalog;
    private final Random random;

    private SampleClusterGenerator(InstanceCatalog catalog, long seed) {
        this.catalog = catalog;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        Path output = args.length > 0 ? Path.of(args[0]) : DEFAULT_OUTPUT;
        if (args.length == 0 && !Files.isRegularFile(Path.of("optimizer", "pom.xml"))) {
            throw new IllegalStateException("run from the repository root, or pass the output path");
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, json(DEFAULT_SEED));
    }

    public static String json(long seed) {
        InstanceCatalog catalog = InstanceCatalog.bundled();
        return new SnapshotWriter(catalog).json(generate(catalog, seed));
    }

    public static ClusterSnapshot generate(InstanceCatalog catalog, long seed) {
        return new SampleClusterGenerator(catalog, seed).generate();
    }

    private ClusterSnapshot generate() {
        List<Node> nodes = SampleNodes.build(catalog, random);
        List<Replicas> workloads = SampleWorkloads.ALL.stream()
                .map(spec -> draw(spec, nodes.size()))
                .toList();
        Placement placement = new Placement(nodes, random);
        List<Pod> pods = new ArrayList<>();
        for (Replicas workload : workloads) {
            if (workload.spec().kind() == WorkloadKind.DAEMON_SET) {
                for (int i = 0; i < nodes.size(); i++) {
                    placement.bind(workload.pods().get(i), nodes.get(i));
                    pods.add(bound(workload.pods().get(i), nodes.get(i)));
                }
            }
        }
        List<Replicas> byPriority = workloads.stream()
                .filter(w -> w.spec().kind() != WorkloadKind.DAEMON_SET)
                .sorted(Comparator.comparingInt((Replicas w) -> w.spec().priority())
                        .reversed())
                .toList();
        for (Replicas workload : byPriority) {
            int running = workload.pods().size() - workload.spec().pendingReplicas();
            for (int i = 0; i < workload.pods().size(); i++) {
                Pod pod = workload.pods().get(i);
                pods.add(
                        i < running
                                ? bound(
                                        pod,
                                        placement.place(pod, workload.spec().key()))
                                : pending(pod));
            }
        }
        pods.sort(Comparator.comparing(Pod::namespace).thenComparing(Pod::name));
        return new ClusterSnapshot("sample", nodes, pods, budgets(workloads), List.of());
    }

    /** A workload and its pods, not yet bound; usage is what each would show once running. */
    private record Replicas(WorkloadSpec spec, List<Pod> pods) {}

    private Replicas draw(WorkloadSpec spec, int nodeCount) {
        ResourceList requests = spec.profile().drawRequests(random);
        // A workload's pods share a load pattern; each pod varies a little around it.
        double cpuShare = 0.12 + 0.18 * random.nextDouble();
        double memoryShare = 0.45 + 0.27 * random.nextDouble();
        String hash = KubernetesNames.templateHash(random);
        int count = spec.kind() == WorkloadKind.DAEMON_SET ? nodeCount : spec.replicas();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = switch (spec.kind()) {
                case DEPLOYMENT -> spec.name() + "-" + hash + "-" + KubernetesNames.podSuffix(random);
                case DAEMON_SET -> spec.name() + "-" + KubernetesNames.podSuffix(random);
                case STATEFUL_SET -> spec.name() + "-" + i;
                case POD -> spec.name();
            };
            ResourceList usage = usage(requests, cpuShare * jitter(), memoryShare * jitter());
            pods.add(new Pod(
                    spec.namespace(),
                    name,
                    null,
                    owner(spec, hash),
                    requests,
                    usage,
                    spec.priority(),
                    labels(spec, hash, name),
                    spec.annotations(),
                    spec.nodeSelector(),
                    spec.requiredNodeAffinity(),
                    spec.tolerations()));
        }
        return new Replicas(spec, pods);
    }

    private double jitter() {
        return 0.9 + 0.2 * random.nextDouble();
    }

    private static ResourceList usage(ResourceList requests, double cpuShare, double memoryShare) {
        long cpu = Math.max(1, Math.round(requests.get(ResourceNames.CPU) * cpuShare));
        long memoryMib = Math.max(1, Math.round((requests.get(ResourceNames.MEMORY) >> 20) * memoryShare));
        return ResourceList.of(Map.of(ResourceNames.CPU, cpu, ResourceNames.MEMORY, memoryMib << 20));
    }

    /** Deployment pods are owned by their ReplicaSet, named after the pod template's hash, as Kubernetes does. */
    private static Owner owner(WorkloadSpec spec, String hash) {
        return switch (spec.kind()) {
            case DEPLOYMENT -> new Owner("ReplicaSet", spec.name() + "-" + hash);
            case STATEFUL_SET -> new Owner("StatefulSet", spec.name());
            case DAEMON_SET -> new Owner("DaemonSet", spec.name());
            case POD -> null;
        };
    }

    private static Map<String, String> labels(WorkloadSpec spec, String hash, String podName) {
        Map<String, String> labels = new TreeMap<>();
        switch (spec.kind()) {
            case DEPLOYMENT -> labels.put("pod-template-hash", hash);
            case STATEFUL_SET -> {
                labels.put("controller-revision-hash", spec.name() + "-" + hash);
                labels.put("statefulset.kubernetes.io/pod-name", podName);
            }
            case DAEMON_SET -> {
                labels.put("controller-revision-hash", hash);
                labels.put("pod-template-generation", "1");
            }
            case POD -> labels.put("run", spec.name());
        }
        if (spec.kind() != WorkloadKind.POD) {
            labels.put(APP_LABEL, spec.name());
        }
        return labels;
    }

    private static Pod bound(Pod pod, Node node) {
        return new Pod(
                pod.namespace(),
                pod.name(),
                node.name(),
                pod.owner(),
                pod.requests(),
                pod.usage(),
                pod.priority(),
                pod.labels(),
                pod.annotations(),
                pod.nodeSelector(),
                pod.requiredNodeAffinity(),
                pod.tolerations());
    }

    /** A pod that has not started has no observed usage. */
    private static Pod pending(Pod pod) {
        return new Pod(
                pod.namespace(),
                pod.name(),
                null,
                pod.owner(),
                pod.requests(),
                ResourceList.EMPTY,
                pod.priority(),
                pod.labels(),
                pod.annotations(),
                pod.nodeSelector(),
                pod.requiredNodeAffinity(),
                pod.tolerations());
    }

    private static List<PodDisruptionBudget> budgets(List<Replicas> workloads) {
        List<PodDisruptionBudget> budgets = new ArrayList<>();
        for (Replicas workload : workloads) {
            WorkloadSpec spec = workload.spec();
            if (spec.budget() == null) {
                continue;
            }
            int healthy = spec.replicas() - spec.pendingReplicas();
            budgets.add(new PodDisruptionBudget(
                    spec.namespace(),
                    spec.name(),
                    new LabelSelector(Map.of(APP_LABEL, spec.name()), List.of()),
                    spec.budget().minAvailable(),
                    spec.budget().maxUnavailable(),
                    spec.budget().disruptionsAllowed(spec.replicas(), healthy)));
        }
        budgets.sort(Comparator.comparing(PodDisruptionBudget::namespace).thenComparing(PodDisruptionBudget::name));
        return budgets;
    }
}

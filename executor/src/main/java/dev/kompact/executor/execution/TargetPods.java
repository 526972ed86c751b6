package dev.kompact.executor.execution;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The target pod of a handoff, made from its source (docs/live-migration.md, "1. The target pod object"). */
final class TargetPods {

    static final String RUNTIME_CLASS = "kompact-restore";
    static final String RESTORE = "kompact.dev/restore";
    static final String HANDOFF_OF = "kompact.dev/handoff-of";
    static final String HANDOFF_COMPLETE = "kompact.dev/handoff-complete";
    private static final int MAX_NAME = 253;

    private TargetPods() {}

    /** The same for every attempt of one migration, so that a create repeated after a crash finds the first. */
    static String name(String sourceName, String migrationId) {
        String suffix = "-h" + digest(migrationId);
        return sourceName.substring(0, Math.min(sourceName.length(), MAX_NAME - suffix.length())) + suffix;
    }

    /**
     * The source's spec bound to {@code node}, run by the restore runtime and held not Ready by a readiness gate until
     * the handoff commits. It carries none of the source's labels and no owner reference: no workload controller
     * adopts or counts it, and no Service selects it, before the commit moves them over.
     */
    static Pod of(Pod source, String migrationId, String node) {
        PodSpec spec = new PodBuilder(source).build().getSpec();
        spec.setNodeName(node);
        spec.setRuntimeClassName(RUNTIME_CLASS);
        spec.setEphemeralContainers(null);
        List<PodReadinessGate> gates =
                spec.getReadinessGates() == null ? new ArrayList<>() : new ArrayList<>(spec.getReadinessGates());
        gates.add(new PodReadinessGate(HANDOFF_COMPLETE));
        spec.setReadinessGates(gates);
        Map<String, String> annotations = source.getMetadata().getAnnotations() == null
                ? new HashMap<>()
                : new HashMap<>(source.getMetadata().getAnnotations());
        annotations.put(RESTORE, migrationId);
        annotations.put(HANDOFF_OF, source.getMetadata().getUid());
        return new PodBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withNamespace(source.getMetadata().getNamespace())
                        .withName(name(source.getMetadata().getName(), migrationId))
                        .withLabels(Map.of(HANDOFF_OF, source.getMetadata().getUid()))
                        .withAnnotations(annotations)
                        .build())
                .withSpec(spec)
                .build();
    }

    /** Whether {@code pod} is the target this handoff created for the source of this UID. */
    static boolean isTargetOf(Pod pod, String sourceUid) {
        return pod.getMetadata().getAnnotations() != null
                && sourceUid.equals(pod.getMetadata().getAnnotations().get(HANDOFF_OF));
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

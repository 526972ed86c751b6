package dev.kompact.executor.snapshot;

import dev.kompact.executor.cluster.Pods;
import dev.kompact.optimizer.model.WellKnownLabels;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone a pod's persistent volumes hold it to. A replacement pod mounts the same claims, so it can only run
 * where their volumes attach: pod → PersistentVolumeClaim (by claimName, in the pod's namespace) → the
 * PersistentVolume it is bound to → the zone the volume's required node affinity names, or, on volumes provisioned
 * before CSI, its zone label.
 */
public final class VolumeZones {

    private static final Logger log = LoggerFactory.getLogger(VolumeZones.class);
    /**
     * Where node affinity names a volume's zone: the standard key, its beta predecessor, and the keys the AWS, GCP
     * and Azure disk CSI drivers wrote before they adopted the standard one. Their values are the nodes' zone names.
     */
    private static final Set<String> ZONE_KEYS = Set.of(
            WellKnownLabels.ZONE,
            "failure-domain.beta.kubernetes.io/zone",
            "topology.ebs.csi.aws.com/zone",
            "topology.gke.io/zone",
            "topology.disk.csi.azure.com/zone");

    private static final List<String> ZONE_LABELS =
            List.of(WellKnownLabels.ZONE, "failure-domain.beta.kubernetes.io/zone");
    /** How the in-tree volume plugins joined the zones of a regional disk in one label value. */
    private static final String LABEL_ZONE_SEPARATOR = "__";

    private final Map<String, PersistentVolume> volumes = new HashMap<>();
    private final Map<String, PersistentVolumeClaim> claims = new HashMap<>();

    public VolumeZones(Collection<PersistentVolume> volumes, Collection<PersistentVolumeClaim> claims) {
        volumes.forEach(pv -> this.volumes.put(pv.getMetadata().getName(), pv));
        claims.forEach(pvc -> this.claims.put(
                key(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName()), pvc));
    }

    /**
     * The one zone the pod's volumes allow, or null when they allow any. A regional volume allows several: then the
     * zone of the pod's node, since the pod runs there and keeping it there is always right; without a node, null.
     * Volumes that share no zone leave it null too: such a pod cannot be placed anywhere, and no zone would be true.
     *
     * @param nodeZone the zone of the node the pod is bound to, or null
     */
    public String zoneOf(Pod pod, String nodeZone) {
        Map<String, Set<String>> zonesByVolume = new TreeMap<>();
        for (Volume volume : orEmpty(pod.getSpec().getVolumes())) {
            if (volume.getPersistentVolumeClaim() != null) {
                boundVolume(
                                pod.getMetadata().getNamespace(),
                                volume.getPersistentVolumeClaim().getClaimName())
                        .ifPresent(pv -> zones(pv)
                                .ifPresent(zones ->
                                        zonesByVolume.put(pv.getMetadata().getName(), zones)));
            }
        }
        if (zonesByVolume.isEmpty()) {
            return null;
        }
        Set<String> common = new TreeSet<>(zonesByVolume.values().iterator().next());
        zonesByVolume.values().forEach(common::retainAll);
        if (common.isEmpty()) {
            log.warn(
                    "pod {}: its persistent volumes share no zone {}; leaving its volume zone unset",
                    Pods.key(pod),
                    zonesByVolume);
            return null;
        }
        if (common.size() == 1) {
            return common.iterator().next();
        }
        return nodeZone != null && common.contains(nodeZone) ? nodeZone : null;
    }

    /** An unbound claim has no volume yet, and so no zone: the scheduler picks one with the pod. */
    private Optional<PersistentVolume> boundVolume(String namespace, String claimName) {
        PersistentVolumeClaim claim = claims.get(key(namespace, claimName));
        if (claim == null || claim.getSpec() == null || claim.getSpec().getVolumeName() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(volumes.get(claim.getSpec().getVolumeName()));
    }

    /** Empty when the volume attaches in every zone (network file systems, or no topology at all). */
    static Optional<Set<String>> zones(PersistentVolume pv) {
        Optional<Set<String>> fromAffinity = affinityZones(pv);
        return fromAffinity.isPresent() ? fromAffinity : labelZones(pv);
    }

    /** Terms are alternatives: the volume's zones are the union of theirs, unless one term leaves the zone open. */
    private static Optional<Set<String>> affinityZones(PersistentVolume pv) {
        var affinity = pv.getSpec() == null ? null : pv.getSpec().getNodeAffinity();
        if (affinity == null || affinity.getRequired() == null) {
            return Optional.empty();
        }
        Set<String> zones = new TreeSet<>();
        for (NodeSelectorTerm term : orEmpty(affinity.getRequired().getNodeSelectorTerms())) {
            Optional<Set<String>> termZones = termZones(term);
            if (termZones.isEmpty()) {
                return Optional.empty();
            }
            zones.addAll(termZones.get());
        }
        return zones.isEmpty() ? Optional.empty() : Optional.of(zones);
    }

    /** Requirements within a term all hold, so the zones of several {@code In} requirements intersect. */
    private static Optional<Set<String>> termZones(NodeSelectorTerm term) {
        Set<String> zones = null;
        for (NodeSelectorRequirement r : orEmpty(term.getMatchExpressions())) {
            if (ZONE_KEYS.contains(r.getKey()) && "In".equals(r.getOperator())) {
                if (zones == null) {
                    zones = new TreeSet<>(orEmpty(r.getValues()));
                } else {
                    zones.retainAll(orEmpty(r.getValues()));
                }
            }
        }
        return Optional.ofNullable(zones);
    }

    private static Optional<Set<String>> labelZones(PersistentVolume pv) {
        Map<String, String> labels = pv.getMetadata().getLabels();
        if (labels == null) {
            return Optional.empty();
        }
        return ZONE_LABELS.stream()
                .map(labels::get)
                .filter(v -> v != null && !v.isBlank())
                .findFirst()
                .map(value -> new TreeSet<>(Arrays.asList(value.split(LABEL_ZONE_SEPARATOR))));
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

package dev.kompact.optimizer.testing;

import dev.kompact.optimizer.model.AffinityRules;
import dev.kompact.optimizer.model.NodeSelectorTerm;
import dev.kompact.optimizer.model.Owner;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.model.Toleration;
import dev.kompact.optimizer.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * The one way tests of every module make a model {@link Pod}: a ReplicaSet's pending pod in {@code default} that
 * asks for nothing, until told otherwise.
 */
public final class PodBuilder {

    private String namespace = "default";
    private final String name;
    private String node;
    private Owner owner;
    private ResourceList requests = ResourceList.EMPTY;
    private ResourceList usage = ResourceList.EMPTY;
    private int priority;
    private Map<String, String> labels = Map.of();
    private Map<String, String> annotations = Map.of();
    private Map<String, String> nodeSelector = Map.of();
    private List<NodeSelectorTerm> requiredNodeAffinity = List.of();
    private List<Toleration> tolerations = List.of();
    private AffinityRules affinity = AffinityRules.NONE;
    private List<Volume> volumes = List.of();
    private String volumeZone;

    private PodBuilder(String name) {
        this.name = name;
        this.owner = new Owner("ReplicaSet", name);
    }

    public static PodBuilder pod(String name) {
        return new PodBuilder(name);
    }

    public PodBuilder namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    public PodBuilder on(String node) {
        this.node = node;
        return this;
    }

    public PodBuilder owner(String kind, String name) {
        return owner(new Owner(kind, name));
    }

    public PodBuilder owner(Owner owner) {
        this.owner = owner;
        return this;
    }

    /** No controller would recreate it. */
    public PodBuilder bare() {
        this.owner = null;
        return this;
    }

    public PodBuilder requests(ResourceList requests) {
        this.requests = requests;
        return this;
    }

    public PodBuilder usage(ResourceList usage) {
        this.usage = usage;
        return this;
    }

    public PodBuilder priority(int priority) {
        this.priority = priority;
        return this;
    }

    public PodBuilder labels(Map<String, String> labels) {
        this.labels = labels;
        return this;
    }

    public PodBuilder annotations(Map<String, String> annotations) {
        this.annotations = annotations;
        return this;
    }

    public PodBuilder nodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
        return this;
    }

    public PodBuilder requiredNodeAffinity(List<NodeSelectorTerm> terms) {
        this.requiredNodeAffinity = terms;
        return this;
    }

    public PodBuilder tolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
        return this;
    }

    public PodBuilder affinity(AffinityRules affinity) {
        this.affinity = affinity;
        return this;
    }

    public PodBuilder volumes(List<Volume> volumes) {
        this.volumes = volumes;
        return this;
    }

    public PodBuilder volumeZone(String zone) {
        this.volumeZone = zone;
        return this;
    }

    public Pod build() {
        return new Pod(
                namespace,
                name,
                node,
                owner,
                requests,
                usage,
                priority,
                labels,
                annotations,
                nodeSelector,
                requiredNodeAffinity,
                tolerations,
                affinity,
                volumes,
                volumeZone);
    }
}

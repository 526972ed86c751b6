package dev.kompact.executor.cluster;

import dev.kompact.executor.ReadOnly;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the executor needs from Kubernetes. Reads go to the API server, not to a cache: the executor re-validates
 * each step against the live cluster just before it acts.
 */
public interface ClusterApi {

    @ReadOnly
    Optional<Node> node(String name);

    @ReadOnly
    List<Node> nodes();

    @ReadOnly
    Optional<Pod> pod(String namespace, String name);

    /** Pods bound to {@code nodeName}, in every namespace. */
    @ReadOnly
    List<Pod> podsOn(String nodeName);

    @ReadOnly
    List<Pod> podsIn(String namespace);

    @ReadOnly
    List<PodDisruptionBudget> podDisruptionBudgets(String namespace);

    /** Adds the taint unless the node already has one with its key and effect. */
    void addTaint(String nodeName, Taint taint);

    /** Removes every taint with this key; a node without it, or no node at all, is left as it is. */
    void removeTaint(String nodeName, String key);

    /**
     * Cordons the node ({@code spec.unschedulable}) and notes on it ({@link dev.kompact.executor.crd.KompactApi#CORDONED})
     * that Kompact did, so that {@link #uncordon} undoes only Kompact's own cordon.
     */
    void cordon(String nodeName);

    /** Undoes {@link #cordon}; a node someone else cordoned, or no node at all, is left as it is. */
    void uncordon(String nodeName);

    /**
     * Asks the Eviction API ({@code policy/v1}) to evict the pod, which honours its PodDisruptionBudgets. The pod's
     * UID is a precondition: a pod recreated under the same name (a StatefulSet's) is not the one the plan meant, and
     * counts as {@link EvictionResult#GONE}. Any answer but 201, 404, 409 and 429 is thrown, never retried here.
     */
    EvictionResult evict(String namespace, String name, String uid);

    /** Creates the pod; when one of its name exists already (a create repeated after a crash), returns that one. */
    Pod createPod(Pod pod);

    /** Sets one annotation of the pod; a pod gone is left alone. */
    void annotatePod(String namespace, String name, String key, String value);

    /**
     * Replaces the pod's labels and owner references with these: its workload controller adopts it ({@code controller}
     * null: a bare pod, owned by no one); a pod gone is left alone.
     */
    void adoptPod(String namespace, String name, Map<String, String> labels, OwnerReference controller);

    /** Sets one condition of the pod's status (through {@code /status}), keeping the others; a pod gone is left alone. */
    void setPodCondition(String namespace, String name, PodCondition condition);

    /**
     * Deletes the pod with its UID as precondition; false when it was already gone or another pod took its name.
     */
    boolean deletePod(String namespace, String name, String uid);

    /** Deletes the Node object; one already gone is not an error. */
    void deleteNode(String name);

    /**
     * Publishes a Kubernetes Event about {@code about}; the API server's failures are logged, never thrown. A write
     * like the others: the controller's guard refuses it to a replica that lost the Lease.
     */
    void recordEvent(ObjectReference about, String reason, String message, boolean warning);
}

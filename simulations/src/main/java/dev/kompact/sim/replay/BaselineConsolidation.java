package dev.kompact.sim.replay;

import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Node;
import dev.kompact.sim.baseline.BaselinePolicy;
import dev.kompact.sim.baseline.BaselineResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A competitor's consolidation ({@link dev.kompact.sim.baseline.KarpenterConsolidation},
 * {@link dev.kompact.sim.baseline.ClusterAutoscalerScaleDown}) carried out the way its controller does:
 * <ol>
 *   <li>run the policy on the cluster's schedulable nodes and their pods, until it finds nothing more;</li>
 *   <li>taint the nodes it removes, so nothing new lands there, and launch the replacements it chose;</li>
 *   <li>wait, in simulated time, until every replacement is Ready (Karpenter's orchestration queue does);</li>
 *   <li>evict every pod of the removed nodes, whose replacements the scheduler then places where it likes (not
 *       where the policy's own simulation put them), and terminate the nodes.</li>
 * </ol>
 */
public final class BaselineConsolidation implements Policy {

    private final String id;
    private final BaselinePolicy baseline;
    private final Provisioner provisioner;
    private final String taint;

    public BaselineConsolidation(String id, BaselinePolicy baseline, Provisioner provisioner, String taint) {
        this.id = id;
        this.baseline = baseline;
        this.provisioner = provisioner;
        this.taint = taint;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return baseline.name() + "-style consolidation with " + provisioner.name();
    }

    @Override
    public Provisioner provisioner() {
        return provisioner;
    }

    @Override
    public void consolidate(Simulator simulator) {
        var snapshot = simulator.snapshot();
        if (snapshot.nodes().isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        BaselineResult result;
        try {
            result = baseline.run(snapshot);
        } catch (IllegalStateException e) {
            // the re-implementation refused its own command (its scheduling simulation and its execution disagreed):
            // counted as a failed plan, and the cluster is left as it was, as Karpenter leaves it when validation fails
            simulator.recordPlan((System.nanoTime() - start) / 1_000_000, "failed: " + e.getMessage());
            return;
        }
        simulator.recordPlan(
                (System.nanoTime() - start) / 1_000_000,
                result.nodesRemoved().isEmpty() ? "nothing to do" : "carried out");
        if (result.nodesRemoved().isEmpty()) {
            return;
        }
        result.nodesRemoved().forEach(n -> simulator.taint(n, taint));
        long readyBy = simulator.now();
        for (String added : result.nodesAdded()) {
            Node planned = result.after().node(added).orElseThrow();
            SimNode node = simulator.launch(offeringOf(simulator, planned));
            readyBy = Math.max(readyBy, node.readyAt());
        }
        simulator.advanceTo(readyBy);
        for (String removed : result.nodesRemoved()) {
            List<SimPod> pods = new ArrayList<>(simulator.podsOn(removed));
            pods.forEach(simulator::evict);
            simulator.terminate(removed);
        }
        simulator.recordPlanExecuted(true);
    }

    private static InstanceOffering offeringOf(Simulator simulator, Node planned) {
        return simulator.offerings().stream()
                .filter(o -> o.instanceType().equals(planned.instanceType())
                        && o.zone().equals(planned.zone())
                        && o.capacityType() == planned.capacityType())
                .findFirst()
                .orElseThrow();
    }
}

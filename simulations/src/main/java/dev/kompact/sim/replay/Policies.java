package dev.kompact.sim.replay;

import dev.kompact.sim.baseline.ClusterAutoscalerScaleDown;
import dev.kompact.sim.baseline.KarpenterConsolidation;
import java.util.List;

/** The policies a simulation compares, by id, each with the scale-up its real counterpart does. */
public final class Policies {

    public static final List<String> IDS = List.of("kompact", "karpenter", "ca", "none");

    private Policies() {}

    public static Policy create(String id, Trace trace, TraceOfferings offerings, long seed) {
        return switch (id) {
            case "kompact" -> new KompactConsolidation(new KarpenterProvisioner(), seed);
            case "karpenter" ->
                new BaselineConsolidation(
                        "karpenter",
                        new KarpenterConsolidation(),
                        new KarpenterProvisioner(),
                        "karpenter.sh/disrupted");
            case "ca" ->
                new BaselineConsolidation(
                        "ca",
                        new ClusterAutoscalerScaleDown(),
                        new ClusterAutoscalerScaleUp(offerings.nodeGroups(trace)),
                        "ToBeDeletedByClusterAutoscaler");
            case "none" -> new NoConsolidation(new KarpenterProvisioner());
            default -> throw new IllegalArgumentException("no policy named " + id + "; policies: " + IDS);
        };
    }
}

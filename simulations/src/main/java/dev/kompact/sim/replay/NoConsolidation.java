package dev.kompact.sim.replay;

/** Grows with the provisioner and never shrinks but by nodes nobody asked for: the cluster left alone. */
public final class NoConsolidation implements Policy {

    private final Provisioner provisioner;

    public NoConsolidation(Provisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String description() {
        return "no consolidation (scale-up only)";
    }

    @Override
    public Provisioner provisioner() {
        return provisioner;
    }

    @Override
    public void consolidate(Simulator simulator) {
        // the point of this policy: nothing is ever taken away
    }
}

package dev.kompact.sim.sample;

/** Rounds a drawn request to the round values people write in manifests. */
public final class ManifestRounding {

    private ManifestRounding() {}

    /** The ladder value closest on a log scale, which also clamps to the ladder's ends. */
    public static long nearest(long[] ladder, double value) {
        long best = ladder[0];
        for (long step : ladder) {
            if (Math.abs(StrictMath.log(step / value)) < Math.abs(StrictMath.log(best / value))) {
                best = step;
            }
        }
        return best;
    }
}

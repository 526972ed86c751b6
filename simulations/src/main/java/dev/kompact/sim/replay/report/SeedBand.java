package dev.kompact.sim.replay.report;

import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One measure of one policy over time: at each sample the median over seeds and the lowest and highest seed, thinned
 * to at most {@code maxPoints} samples so that a long trace stays a small page. Runs are aligned by sample index
 * (every run samples on the same steps); a seed's missing value (a lower bound not computed there) is skipped.
 */
public record SeedBand(List<Double> hours, List<Double> median, List<Double> low, List<Double> high) {

    public static SeedBand of(List<RunResult> runs, ToDoubleFunction<Sample> measure, int maxPoints) {
        int length = runs.stream().mapToInt(r -> r.samples().size()).min().orElse(0);
        int stride = Math.max(1, (length + maxPoints - 1) / maxPoints);
        List<Double> hours = new ArrayList<>();
        List<Double> median = new ArrayList<>();
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        for (int i = 0; i < length; i += stride) {
            double[] values = valuesAt(runs, measure, i);
            if (values.length == 0) {
                continue;
            }
            Arrays.sort(values);
            hours.add(runs.get(0).samples().get(i).seconds() / 3600.0);
            median.add(median(values));
            low.add(values[0]);
            high.add(values[values.length - 1]);
        }
        return new SeedBand(hours, median, low, high);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] valuesAt(List<RunResult> runs, ToDoubleFunction<Sample> measure, int index) {
        return runs.stream()
                .map(r -> r.samples().get(index))
                .mapToDouble(measure)
                .filter(v -> !Double.isNaN(v))
                .toArray();
    }
}

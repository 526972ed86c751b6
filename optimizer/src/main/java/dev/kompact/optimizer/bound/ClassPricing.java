package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.domain.ResourceIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each class of pods pays, per resource, the cheapest price per unit among the nodes it accepts; kept capacity
 * absorbs the dearest classes' demand first, as if any class could use it. The dearest per-resource bill is the
 * bound. Tight where classes are confined to dear pools, loose where pods need several resources at once: that is
 * what {@link CoveringProgram} is for.
 */
final class ClassPricing {

    private ClassPricing() {}

    static Relaxation of(List<BoundSource> sources, Map<PodClass, long[]> demandByClass, ResourceIndex resources) {
        long[] keptCapacity = new long[resources.size()];
        for (BoundSource source : sources) {
            if (source.kept()) {
                for (int r = 0; r < keptCapacity.length; r++) {
                    keptCapacity[r] += source.capacity()[r] * source.count();
                }
            }
        }
        Map<PodClass, double[]> unitPrice = new LinkedHashMap<>();
        demandByClass.keySet().forEach(c -> unitPrice.put(c, cheapestUnitPrices(c, sources, resources.size())));

        long extra = 0;
        String limiting = "kept nodes";
        for (int r = 0; r < resources.size(); r++) {
            int resource = r;
            List<PodClass> dearestFirst = new ArrayList<>(demandByClass.keySet());
            dearestFirst.sort(
                    Comparator.comparingDouble((PodClass c) -> unitPrice.get(c)[resource])
                            .reversed());
            long free = keptCapacity[r];
            double bill = 0;
            for (PodClass c : dearestFirst) {
                long demand = demandByClass.get(c)[r];
                long absorbed = Math.min(free, demand);
                free -= absorbed;
                double price = unitPrice.get(c)[r];
                if (demand > absorbed && price < Double.POSITIVE_INFINITY) {
                    bill += (demand - absorbed) * price;
                }
            }
            long rounded = (long) Math.floor(bill);
            if (rounded > extra) {
                extra = rounded;
                limiting = resources.name(r);
            }
        }
        return new Relaxation(extra, limiting);
    }

    private static double[] cheapestUnitPrices(PodClass podClass, List<BoundSource> sources, int size) {
        double[] unitPrice = new double[size];
        Arrays.fill(unitPrice, Double.POSITIVE_INFINITY);
        for (BoundSource source : sources) {
            if (source.kept() || !podClass.accepts(source)) {
                continue;
            }
            for (int i = 0; i < size; i++) {
                if (source.capacity()[i] > 0) {
                    unitPrice[i] = Math.min(unitPrice[i], source.unitPrice(i));
                }
            }
        }
        return unitPrice;
    }
}

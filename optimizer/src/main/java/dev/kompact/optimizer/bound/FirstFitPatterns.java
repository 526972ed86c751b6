package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.bound.ItemClasses.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where {@link PatternProgram} starts: the node patterns of a first-fit-decreasing packing of its item classes. */
final class FirstFitPatterns {

    private FirstFitPatterns() {}

    /**
     * The patterns of a first-fit-decreasing packing, each distinct one once: with them the program covers every pod
     * from the start, so that its first prices are already those of a real packing.
     */
    static List<Pattern> of(List<Item> items, List<NodeKind> kinds) {
        List<Integer> units = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            for (int n = 0; n < items.get(i).count(); n++) {
                units.add(i);
            }
        }
        units.sort(Comparator.comparingDouble(
                (Integer i) -> -largestShare(kinds, items.get(i).demand())));
        List<Integer> byPrice = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            byPrice.add(k);
        }
        byPrice.sort(Comparator.comparingDouble(
                k -> kinds.get(k).price() / largestShare(kinds, kinds.get(k).capacity())));
        long[] opened = new long[kinds.size()];
        List<int[]> counts = new ArrayList<>();
        List<Integer> kindOf = new ArrayList<>();
        List<long[]> left = new ArrayList<>();
        for (int item : units) {
            long[] demand = items.get(item).demand();
            int bin = -1;
            for (int b = 0; b < left.size() && bin < 0; b++) {
                if (kinds.get(kindOf.get(b)).accepts(item) && fitsIn(demand, left.get(b))) {
                    bin = b;
                }
            }
            for (int k = 0; bin < 0 && k < byPrice.size(); k++) {
                NodeKind kind = kinds.get(byPrice.get(k));
                if (kind.accepts(item)
                        && kind.fits(demand)
                        && (!kind.isLimited() || opened[byPrice.get(k)] < kind.count())) {
                    opened[byPrice.get(k)]++;
                    counts.add(new int[items.size()]);
                    kindOf.add(byPrice.get(k));
                    left.add(kind.capacity().clone());
                    bin = left.size() - 1;
                }
            }
            if (bin >= 0) {
                counts.get(bin)[item]++;
                for (int r = 0; r < demand.length; r++) {
                    left.get(bin)[r] -= demand[r];
                }
            }
        }
        Map<List<Object>, Pattern> distinct = new LinkedHashMap<>();
        for (int b = 0; b < counts.size(); b++) {
            distinct.putIfAbsent(
                    List.of(kindOf.get(b), Arrays.toString(counts.get(b))), new Pattern(kindOf.get(b), counts.get(b)));
        }
        return new ArrayList<>(distinct.values());
    }

    private static double largestShare(List<NodeKind> kinds, long[] amounts) {
        double share = 0;
        long[] largest = new long[amounts.length];
        for (NodeKind kind : kinds) {
            for (int r = 0; r < largest.length; r++) {
                largest[r] = Math.max(largest[r], kind.capacity()[r]);
            }
        }
        for (int r = 0; r < amounts.length; r++) {
            if (largest[r] > 0) {
                share = Math.max(share, (double) amounts[r] / largest[r]);
            }
        }
        return share;
    }

    private static boolean fitsIn(long[] demand, long[] left) {
        for (int r = 0; r < demand.length; r++) {
            if (demand[r] > left[r]) {
                return false;
            }
        }
        return true;
    }
}

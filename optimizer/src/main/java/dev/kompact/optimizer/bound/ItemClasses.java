package dev.kompact.optimizer.bound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Pods as the items {@link PatternProgram} packs: pods of one {@link PodClass} asking exactly the same form one item
 * class. When there are more than {@code maxClasses}, neighbouring classes (sorted by the resources with the fewest
 * distinct amounts first, so that neighbours differ in the finest one) are merged, and a merged class asks the least
 * of each resource any of its pods asks: packing smaller pods costs no more, so the bound stays a bound.
 */
final class ItemClasses {

    /** An item class: pods accepting the same nodes, each asking {@code demand} (at most), {@code count} of them. */
    record Item(PodClass podClass, long[] demand, int count) {}

    private ItemClasses() {}

    static List<Item> of(List<PodClass> classes, List<long[]> demands, int maxClasses) {
        Map<PodClass, Map<List<Long>, Integer>> exact = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            exact.computeIfAbsent(classes.get(i), c -> new LinkedHashMap<>())
                    .merge(Arrays.stream(demands.get(i)).boxed().toList(), 1, Integer::sum);
        }
        int distinct = exact.values().stream().mapToInt(Map::size).sum();
        int pods = classes.size();
        // pods per merged class, so that about maxClasses remain
        int perClass = distinct <= maxClasses ? 1 : (int) Math.ceil((double) pods / maxClasses);
        int[] order = resourcesByDistinctAmounts(demands);
        List<Item> items = new ArrayList<>();
        exact.forEach((podClass, counts) -> {
            List<Map.Entry<List<Long>, Integer>> sorted = new ArrayList<>(counts.entrySet());
            sorted.sort((a, b) -> compare(a.getKey(), b.getKey(), order));
            long[] least = null;
            int count = 0;
            for (Map.Entry<List<Long>, Integer> e : sorted) {
                long[] demand = e.getKey().stream().mapToLong(Long::longValue).toArray();
                least = least == null ? demand : min(least, demand);
                count += e.getValue();
                if (count >= perClass) {
                    items.add(new Item(podClass, least, count));
                    least = null;
                    count = 0;
                }
            }
            if (least != null) {
                items.add(new Item(podClass, least, count));
            }
        });
        return items;
    }

    private static int[] resourcesByDistinctAmounts(List<long[]> demands) {
        int size = demands.isEmpty() ? 0 : demands.get(0).length;
        int[] distinct = new int[size];
        for (int r = 0; r < size; r++) {
            Set<Long> amounts = new HashSet<>();
            for (long[] demand : demands) {
                amounts.add(demand[r]);
            }
            distinct[r] = amounts.size();
        }
        return IntStream.range(0, size)
                .boxed()
                .sorted(Comparator.comparingInt((Integer r) -> distinct[r]))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static int compare(List<Long> a, List<Long> b, int[] order) {
        for (int r : order) {
            int c = Long.compare(a.get(r), b.get(r));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long[] min(long[] a, long[] b) {
        long[] least = new long[a.length];
        for (int r = 0; r < a.length; r++) {
            least[r] = Math.min(a[r], b[r]);
        }
        return least;
    }
}

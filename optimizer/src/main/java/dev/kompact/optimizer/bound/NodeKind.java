package dev.kompact.optimizer.bound;

import dev.kompact.optimizer.bound.ItemClasses.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Nodes alike for the bound: the same capacity and price (kept nodes are free) and accepted by the same item
 * classes; {@code count} of them, {@link BoundSource#UNLIMITED} for an offering.
 */
record NodeKind(BitSet accepted, long[] capacity, double price, long count) {

    static List<NodeKind> of(List<BoundSource> sources, List<Item> items) {
        Map<NodeKind, NodeKind> merged = new LinkedHashMap<>();
        for (BoundSource source : sources) {
            BitSet accepted = new BitSet(items.size());
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).podClass().accepts(source)) {
                    accepted.set(i);
                }
            }
            if (accepted.isEmpty()) {
                continue;
            }
            NodeKind kind =
                    new NodeKind(accepted, source.capacity(), source.kept() ? 0 : source.price() / 1e6, source.count());
            merged.merge(kind, kind, NodeKind::plus);
        }
        return new ArrayList<>(merged.values());
    }

    /** Where kind {@code kind} stands among the limited ones, which each have a rent in the programs. */
    static int limitedIndex(List<NodeKind> kinds, int kind) {
        int index = 0;
        for (int k = 0; k < kind; k++) {
            if (kinds.get(k).isLimited()) {
                index++;
            }
        }
        return index;
    }

    boolean isLimited() {
        return count != BoundSource.UNLIMITED;
    }

    boolean accepts(int item) {
        return accepted.get(item);
    }

    boolean fits(long[] demand) {
        for (int r = 0; r < capacity.length; r++) {
            if (demand[r] > capacity[r]) {
                return false;
            }
        }
        return true;
    }

    double share(long[] demand) {
        double share = 1e-12;
        for (int r = 0; r < capacity.length; r++) {
            if (capacity[r] > 0) {
                share = Math.max(share, (double) demand[r] / capacity[r]);
            }
        }
        return share;
    }

    NodeKind plus(NodeKind other) {
        boolean unlimited = !isLimited() || !other.isLimited();
        return new NodeKind(accepted, capacity, price, unlimited ? BoundSource.UNLIMITED : count + other.count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeKind other
                && accepted.equals(other.accepted)
                && Arrays.equals(capacity, other.capacity)
                && price == other.price;
    }

    @Override
    public int hashCode() {
        return Objects.hash(accepted, Arrays.hashCode(capacity), price);
    }
}

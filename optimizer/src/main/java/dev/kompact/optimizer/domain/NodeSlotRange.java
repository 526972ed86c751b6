package dev.kompact.optimizer.domain;

import ai.timefold.solver.core.impl.domain.valuerange.AbstractCountableValueRange;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The node slots as the solver's value range. Timefold's own list range compares and hashes the whole list, and it
 * does so for every entity when it builds its per-entity ranges: with 150,000 pods and 5,000 nodes that alone took
 * seconds. This range is equal only to itself and answers {@code contains} from a set.
 */
final class NodeSlotRange extends AbstractCountableValueRange<NodeSlot> {

    private final List<NodeSlot> nodes;
    private final Set<NodeSlot> members;

    NodeSlotRange(List<NodeSlot> nodes) {
        this.nodes = nodes;
        this.members = Collections.newSetFromMap(new IdentityHashMap<>(nodes.size() * 2));
        members.addAll(nodes);
    }

    @Override
    public long getSize() {
        return nodes.size();
    }

    @Override
    public NodeSlot get(long index) {
        return nodes.get((int) index);
    }

    @Override
    public boolean contains(NodeSlot node) {
        return members.contains(node);
    }

    @Override
    public Iterator<NodeSlot> createOriginalIterator() {
        return nodes.iterator();
    }

    @Override
    public Iterator<NodeSlot> createRandomIterator(Random random) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !nodes.isEmpty();
            }

            @Override
            public NodeSlot next() {
                return nodes.get(random.nextInt(nodes.size()));
            }
        };
    }
}

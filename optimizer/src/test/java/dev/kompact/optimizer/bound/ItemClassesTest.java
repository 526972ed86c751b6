package dev.kompact.optimizer.bound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.bound.ItemClasses.Item;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemClassesTest {

    private static final List<PodClass> ANYWHERE = Collections.nCopies(5, PodClass.ANYWHERE);

    @Test
    void podsAskingTheSameFormOneClass() {
        List<long[]> demands = List.of(
                new long[] {500, 100}, new long[] {500, 100}, new long[] {500, 100}, new long[] {250, 300}, new long[] {
                    250, 300
                });

        List<Item> items = ItemClasses.of(ANYWHERE, demands, 10);

        assertThat(items).extracting(Item::count).containsExactlyInAnyOrder(3, 2);
    }

    @Test
    void mergedClassesAskTheLeastOfEachResourceAnyOfTheirPodsAsks() {
        // cpu has two amounts, memory five: sorted by cpu, then memory, and merged three at a time (5 pods, 2 classes):
        // 250/300, 250/310, 500/110 ask at least 250/110; 500/120 and 500/130 at least 500/120
        List<long[]> demands = List.of(
                new long[] {500, 130}, new long[] {500, 110}, new long[] {250, 300}, new long[] {500, 120}, new long[] {
                    250, 310
                });

        List<Item> items = ItemClasses.of(ANYWHERE, demands, 2);

        assertThat(items).hasSize(2);
        assertThat(items.get(0).demand()).containsExactly(250, 110);
        assertThat(items.get(0).count()).isEqualTo(3);
        assertThat(items.get(1).demand()).containsExactly(500, 120);
        assertThat(items.get(1).count()).isEqualTo(2);
    }
}

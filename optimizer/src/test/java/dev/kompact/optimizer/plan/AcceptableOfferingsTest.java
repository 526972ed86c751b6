package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.CapacityType;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.model.InstanceOffering;
import dev.kompact.optimizer.model.Mobility;
import dev.kompact.optimizer.model.Pod;
import dev.kompact.optimizer.model.PodKey;
import dev.kompact.optimizer.model.ResourceList;
import dev.kompact.optimizer.testing.PodBuilder;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AcceptableOfferingsTest {

    static final List<InstanceOffering> OFFERINGS =
            InstanceCatalog.bundled().offerings(List.of("us-east-1a", "us-east-1b"));
    static final Map<String, InstanceOffering> BY_KEY = OFFERINGS.stream()
            .collect(Collectors.toMap(
                    o -> o.instanceType() + "/" + o.zone() + "/"
                            + o.capacityType().label(),
                    o -> o));
    static final AddedNode ADDED = new AddedNode(
            "new-1", "m5.xlarge", "us-east-1a", CapacityType.ON_DEMAND, new BigDecimal("0.192"), List.of());
    static final List<PodMove> MOVES =
            List.of(new PodMove(PodKey.parse("shop/web-1"), "old-1", "new-1", Mobility.RESTART));

    @Test
    void offersCheapestLargerOrEqualNodesOfTheSameCapacityTypeAfterThePlannedOne() {
        List<Alternative> alternatives =
                AcceptableOfferings.of(ADDED, MOVES, 1_000_000, 1, snapshot(pod(Map.of(), null)));

        assertThat(alternatives)
                .hasSize(AcceptableOfferings.MAX)
                .noneMatch(a -> a.instanceType().equals("m5.xlarge") && a.zone().equals("us-east-1a"));
        InstanceOffering planned = offering("m5.xlarge", "us-east-1a");
        List<InstanceOffering> chosen = alternatives.stream()
                .map(a -> offering(a.instanceType(), a.zone()))
                .toList();
        assertThat(chosen).allSatisfy(o -> {
            assertThat(o.capacityType()).isEqualTo(planned.capacityType());
            planned.allocatable()
                    .amounts()
                    .forEach((resource, amount) -> assertThat(o.allocatable().get(resource))
                            .as(o.instanceType() + " " + resource)
                            .isGreaterThanOrEqualTo(amount));
        });
        assertThat(chosen).extracting(InstanceOffering::pricePerHourMicros).isSorted();
    }

    @Test
    void keepsOnlyOfferingsThePlacedPodsSelectors() {
        List<Alternative> alternatives = AcceptableOfferings.of(
                ADDED, MOVES, 1_000_000, 1, snapshot(pod(Map.of("kubernetes.io/arch", "arm64"), null)));

        // the planned m5.xlarge itself is amd64: only what the pod selects is offered
        assertThat(alternatives)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(offering(a.instanceType(), a.zone()).labels())
                        .containsEntry("kubernetes.io/arch", "arm64"));
    }

    @Test
    void staysInThePlannedZoneWhenAPodHasAZonalVolume() {
        List<Alternative> alternatives =
                AcceptableOfferings.of(ADDED, MOVES, 1_000_000, 1, snapshot(pod(Map.of(), "us-east-1a")));

        assertThat(alternatives).isNotEmpty().allMatch(a -> a.zone().equals("us-east-1a"));
    }

    @Test
    void offersNothingDearerThanThePlannedPricePlusTheSaving() {
        // $0.192 planned + $0.01 saved: nothing above $0.202, so not m5.2xlarge ($0.384), which a $1 saving allows
        List<Alternative> alternatives = AcceptableOfferings.of(ADDED, MOVES, 10_000, 1, snapshot(pod(Map.of(), null)));

        assertThat(alternatives)
                .isNotEmpty()
                .allMatch(a -> offering(a.instanceType(), a.zone()).pricePerHourMicros() <= 202_000);
        assertThat(AcceptableOfferings.of(
                        ADDED,
                        MOVES,
                        10_000,
                        1,
                        new ClusterSnapshot(
                                "test",
                                List.of(),
                                List.of(pod(Map.of(), null)),
                                List.of(),
                                List.of(offering("m5.xlarge", "us-east-1a"), offering("m5.2xlarge", "us-east-1a")))))
                .isEmpty();
        assertThat(AcceptableOfferings.of(
                        ADDED,
                        MOVES,
                        1_000_000,
                        1,
                        new ClusterSnapshot(
                                "test",
                                List.of(),
                                List.of(pod(Map.of(), null)),
                                List.of(),
                                List.of(offering("m5.xlarge", "us-east-1a"), offering("m5.2xlarge", "us-east-1a")))))
                .extracting(Alternative::instanceType)
                .containsExactly("m5.2xlarge");
    }

    private static InstanceOffering offering(String type, String zone) {
        return BY_KEY.get(type + "/" + zone + "/on-demand");
    }

    private static ClusterSnapshot snapshot(Pod pod) {
        return new ClusterSnapshot("test", List.of(), List.of(pod), List.of(), OFFERINGS);
    }

    private static Pod pod(Map<String, String> nodeSelector, String volumeZone) {
        return PodBuilder.pod("web-1")
                .namespace("shop")
                .on("old-1")
                .owner("ReplicaSet", "web")
                .requests(ResourceList.of(Map.of("cpu", 500L, "memory", 1L << 30)))
                .nodeSelector(nodeSelector)
                .volumeZone(volumeZone)
                .build();
    }
}

package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.solver.PlacementConstraintProvider.HOST_SPREAD;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.SOFT_EXCESS_MICROS;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.SOFT_HOST_SPREAD;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.SOFT_ZONE_SPREAD;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.ZONE_SPREAD;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintCollectors;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.bi.BiConstraintStream;
import ai.timefold.solver.core.api.score.stream.tri.TriConstraintStream;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.domain.SpreadGroup;

/** Topology spread over zones and over nodes, hard ({@code DoNotSchedule}) and preferred ({@code ScheduleAnyway}). */
final class SpreadConstraints {

    private SpreadConstraints() {}

    static Constraint zoneSpread(ConstraintFactory factory) {
        return zoneSpreadExcess(factory, true)
                .penalize(HardMediumSoftLongScore.ONE_HARD, (group, excess) -> excess)
                .asConstraint(ZONE_SPREAD);
    }

    static Constraint hostSpread(ConstraintFactory factory) {
        return hostSpreadExcess(factory, true)
                .penalize(HardMediumSoftLongScore.ONE_HARD, (group, node, excess) -> excess)
                .asConstraint(HOST_SPREAD);
    }

    static Constraint softZoneSpread(ConstraintFactory factory) {
        return zoneSpreadExcess(factory, false)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (group, excess) -> excess * SOFT_EXCESS_MICROS)
                .asConstraint(SOFT_ZONE_SPREAD);
    }

    static Constraint softHostSpread(ConstraintFactory factory) {
        return hostSpreadExcess(factory, false)
                .penalizeLong(HardMediumSoftLongScore.ONE_SOFT, (group, node, excess) -> excess * SOFT_EXCESS_MICROS)
                .asConstraint(SOFT_HOST_SPREAD);
    }

    /**
     * Per zone spread group: how far the busiest zone receiving a pod is above the emptiest eligible zone, beyond
     * maxSkew.
     */
    private static BiConstraintStream<SpreadGroup, Integer> zoneSpreadExcess(ConstraintFactory factory, boolean hard) {
        return factory.forEach(PodPlacement.class)
                .expand(PodPlacement::getSpreadGroups)
                .flattenLast(items -> items)
                .filter((p, group) -> group.isZone() && group.isHard() == hard)
                .groupBy(
                        (p, group) -> group,
                        (p, group) -> p.getNode().getZone(),
                        ConstraintCollectors.countBi(),
                        ConstraintCollectors.sum((PodPlacement p, SpreadGroup group) -> p.isArriving() ? 1 : 0))
                .groupBy(
                        (group, zone, count, arrivals) -> group,
                        ConstraintCollectors.conditionally(
                                (SpreadGroup group, String zone, Integer count, Integer arrivals) -> arrivals > 0,
                                ConstraintCollectors.max(
                                        (SpreadGroup group, String zone, Integer count, Integer arrivals) -> count)),
                        ConstraintCollectors.min(
                                (SpreadGroup group, String zone, Integer count, Integer arrivals) -> count),
                        ConstraintCollectors.countQuad())
                .filter((group, busiestReceiving, min, zones) -> busiestReceiving != null)
                .map(
                        (group, busiestReceiving, min, zones) -> group,
                        (group, busiestReceiving, min, zones) -> group.excess(busiestReceiving, min, zones))
                .filter((group, excess) -> excess > 0);
    }

    /** Per node spread group and node receiving a pod: pods beyond maxSkew (the emptiest node is taken to hold none). */
    private static TriConstraintStream<SpreadGroup, NodeSlot, Integer> hostSpreadExcess(
            ConstraintFactory factory, boolean hard) {
        return factory.forEach(PodPlacement.class)
                .expand(PodPlacement::getSpreadGroups)
                .flattenLast(items -> items)
                .filter((p, group) -> !group.isZone() && group.isHard() == hard)
                .groupBy(
                        (p, group) -> group,
                        (p, group) -> p.getNode(),
                        ConstraintCollectors.countBi(),
                        ConstraintCollectors.sum((PodPlacement p, SpreadGroup group) -> p.isArriving() ? 1 : 0))
                .filter((group, node, count, arrivals) -> arrivals > 0 && count > group.getMaxSkew())
                .map(
                        (group, node, count, arrivals) -> group,
                        (group, node, count, arrivals) -> node,
                        (group, node, count, arrivals) -> count - group.getMaxSkew());
    }
}

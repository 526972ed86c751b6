package dev.kompact.optimizer.solver;

import static dev.kompact.optimizer.solver.PlacementConstraintProvider.HOST_AFFINITY;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.HOST_ANTI_AFFINITY;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.PREFERENCE_POINT_MICROS;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.PREFERRED_HOST_AFFINITY;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.PREFERRED_HOST_ANTI_AFFINITY;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.ZONE_AFFINITY;
import static dev.kompact.optimizer.solver.PlacementConstraintProvider.ZONE_ANTI_AFFINITY;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.Constraint;
import ai.timefold.solver.core.api.score.stream.ConstraintFactory;
import ai.timefold.solver.core.api.score.stream.Joiners;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.model.PodAffinityTerm;
import dev.kompact.optimizer.model.WeightedPodAffinityTerm;
import dev.kompact.optimizer.model.WellKnownLabels;

/** The rules between pods, per node or per zone: required and preferred pod affinity and anti-affinity. */
final class PodAffinityConstraints {

    private PodAffinityConstraints() {}

    static Constraint hostAntiAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.hasAntiAffinity(WellKnownLabels.HOSTNAME))
                .join(
                        PodPlacement.class,
                        Joiners.equal(PodPlacement::getNode),
                        Joiners.filtering((a, b) ->
                                a != b && (a.isArriving() || b.isArriving()) && a.repels(WellKnownLabels.HOSTNAME, b)))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(HOST_ANTI_AFFINITY);
    }

    static Constraint zoneAntiAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(p -> p.hasAntiAffinity(WellKnownLabels.ZONE))
                .join(
                        PodPlacement.class,
                        Joiners.equal(p -> p.getNode().getZone()),
                        Joiners.filtering((a, b) ->
                                a != b && (a.isArriving() || b.isArriving()) && a.repels(WellKnownLabels.ZONE, b)))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(ZONE_ANTI_AFFINITY);
    }

    static Constraint hostAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(PodPlacement::isArriving)
                .expand(p -> p.requiredAffinity(WellKnownLabels.HOSTNAME))
                .flattenLast(items -> items)
                .ifNotExists(
                        PodPlacement.class,
                        Joiners.equal((PodPlacement p, PodAffinityTerm term) -> p.getNode(), PodPlacement::getNode),
                        Joiners.filtering((PodPlacement p, PodAffinityTerm term, PodPlacement other) ->
                                p != other && term.selects(p.getPod(), other.getPod())))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(HOST_AFFINITY);
    }

    static Constraint zoneAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .filter(PodPlacement::isArriving)
                .expand(p -> p.requiredAffinity(WellKnownLabels.ZONE))
                .flattenLast(items -> items)
                .ifNotExists(
                        PodPlacement.class,
                        Joiners.equal(
                                (PodPlacement p, PodAffinityTerm term) ->
                                        p.getNode().getZone(),
                                (PodPlacement other) -> other.getNode().getZone()),
                        Joiners.filtering((PodPlacement p, PodAffinityTerm term, PodPlacement other) ->
                                p != other && term.selects(p.getPod(), other.getPod())))
                .penalize(HardMediumSoftLongScore.ONE_HARD)
                .asConstraint(ZONE_AFFINITY);
    }

    static Constraint preferredHostAntiAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .expand(p -> p.preferredAntiAffinity(WellKnownLabels.HOSTNAME))
                .flattenLast(items -> items)
                .join(
                        PodPlacement.class,
                        Joiners.equal(
                                (PodPlacement p, WeightedPodAffinityTerm preference) -> p.getNode(),
                                PodPlacement::getNode),
                        Joiners.filtering((PodPlacement p, WeightedPodAffinityTerm preference, PodPlacement other) ->
                                p != other && preference.term().selects(p.getPod(), other.getPod())))
                .penalizeLong(
                        HardMediumSoftLongScore.ONE_SOFT,
                        (p, preference, other) -> preference.weight() * PREFERENCE_POINT_MICROS)
                .asConstraint(PREFERRED_HOST_ANTI_AFFINITY);
    }

    static Constraint preferredHostAffinity(ConstraintFactory factory) {
        return factory.forEach(PodPlacement.class)
                .expand(p -> p.preferredAffinity(WellKnownLabels.HOSTNAME))
                .flattenLast(items -> items)
                .ifNotExists(
                        PodPlacement.class,
                        Joiners.equal(
                                (PodPlacement p, WeightedPodAffinityTerm preference) -> p.getNode(),
                                PodPlacement::getNode),
                        Joiners.filtering((PodPlacement p, WeightedPodAffinityTerm preference, PodPlacement other) ->
                                p != other && preference.term().selects(p.getPod(), other.getPod())))
                .penalizeLong(
                        HardMediumSoftLongScore.ONE_SOFT,
                        (p, preference) -> preference.weight() * PREFERENCE_POINT_MICROS)
                .asConstraint(PREFERRED_HOST_AFFINITY);
    }
}

package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.domain.ClusterPlacement;
import dev.kompact.optimizer.domain.NodeSlot;
import dev.kompact.optimizer.domain.PodPlacement;
import dev.kompact.optimizer.solver.ClusterPlacementFactory;
import dev.kompact.optimizer.solver.PlacementSolver;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import dev.kompact.optimizer.testing.Snapshots;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NeedlessMovesTest {

    private final PlacementSolver solver =
            new PlacementSolver(SolverSettings.of(Duration.ofSeconds(1)), SolverProgress.SILENT);

    @Test
    void takesBackAMoveBetweenTwoKeptNodesThatBuysNothingAndKeepsOneThatEmptiesANode() throws Exception {
        ClusterPlacement solution = new ClusterPlacementFactory(InstanceCatalog.bundled())
                .build(Snapshots.read("three-half-empty-nodes.json"));
        solution.getPlacements().forEach(p -> p.setNode(p.getCurrentNode()));
        // cart-0 leaves node-c, which web-3 keeps: a restart for nothing
        placement(solution, "shop/cart-0").setNode(node(solution, "node-b"));
        // web-1 leaves node-a empty: node-a can go, the move is what saves its price
        placement(solution, "shop/web-1").setNode(node(solution, "node-b"));
        solver.rescore(solution);

        int takenBack = NeedlessMoves.takeBack(solver, solution, () -> false);

        assertThat(takenBack).isEqualTo(1);
        assertThat(placement(solution, "shop/cart-0").isMoved()).isFalse();
        assertThat(placement(solution, "shop/web-1").getNode().getName()).isEqualTo("node-b");
    }

    @Test
    void takesBackEveryNeedlessMoveWithOneRescoreWhenNoneIsNeeded() throws Exception {
        ClusterPlacement solution = new ClusterPlacementFactory(InstanceCatalog.bundled())
                .build(Snapshots.read("three-half-empty-nodes.json"));
        solution.getPlacements().forEach(p -> p.setNode(p.getCurrentNode()));
        // cart-0 and web-1 swap kept nodes that web-2 and web-3 keep anyway: both restarts buy nothing
        placement(solution, "shop/cart-0").setNode(node(solution, "node-b"));
        placement(solution, "shop/web-1").setNode(node(solution, "node-c"));
        placement(solution, "shop/web-3").setNode(node(solution, "node-a"));
        solver.rescore(solution);

        // the time already up: only the one try of all moves at once is made
        int takenBack = NeedlessMoves.takeBack(solver, solution, () -> true);

        assertThat(takenBack).isEqualTo(3);
        assertThat(solution.getPlacements()).noneMatch(PodPlacement::isMoved);
    }

    private static PodPlacement placement(ClusterPlacement solution, String pod) {
        return solution.getPlacements().stream()
                .filter(p -> p.getId().equals(pod))
                .findFirst()
                .orElseThrow();
    }

    private static NodeSlot node(ClusterPlacement solution, String name) {
        return solution.getNodes().stream()
                .filter(n -> n.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}

package dev.kompact.optimizer.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kompact.optimizer.catalog.InstanceCatalog;
import dev.kompact.optimizer.model.ClusterSnapshot;
import dev.kompact.optimizer.snapshot.SnapshotReader;
import dev.kompact.optimizer.solver.SolverProgress;
import dev.kompact.optimizer.solver.SolverSettings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled sample's plan after a fixed number of search steps, against the one recorded before the plan's
 * vocabulary was unified (issue 11): a restructuring that changes this plan changed behaviour. When a change is meant
 * to change plans, record the new one from {@code target/sample-plan.txt}.
 */
class BundledSamplePlanTest {

    static final int STEPS = 300;

    @Test
    void plansTheBundledSampleAsRecorded() throws Exception {
        ClusterSnapshot sample;
        try (InputStream in = getClass().getResourceAsStream("/dev/kompact/optimizer/sample/sample-cluster.json")) {
            sample = new SnapshotReader(InstanceCatalog.bundled()).read(in, "bundled sample cluster");
        }

        String summary = summary(new Planner(SolverSettings.steps(STEPS, 0), SolverProgress.SILENT).plan(sample));

        Files.writeString(Path.of("target", "sample-plan.txt"), summary);
        try (InputStream recorded = getClass().getResourceAsStream("sample-plan.txt")) {
            assertThat(summary).isEqualTo(new String(recorded.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** What the plan does, leaving out how the waves are named: moves in their waves, nodes bought and removed. */
    private static String summary(RebalancePlan plan) {
        List<String> lines = new ArrayList<>();
        lines.add(
                "decision " + plan.decision().proposed() + " " + plan.decision().reasons());
        lines.add("cost " + plan.costBefore().perHour() + " -> "
                + plan.costAfter().perHour());
        plan.nodesAdded()
                .forEach(n -> lines.add("add " + n.name() + " " + n.instanceType() + " " + n.zone() + " "
                        + n.capacityType() + " " + n.pricePerHour()));
        plan.nodesRemoved().forEach(n -> lines.add("remove " + n));
        plan.unplacedPods().forEach(p -> lines.add("unplaced " + p));
        int wave = 0;
        for (Wave w : plan.waves()) {
            if (!w.moves().isEmpty()) {
                wave++;
                for (PodMove m : w.moves()) {
                    lines.add("wave " + wave + " move " + m.pod() + " " + m.from() + " -> " + m.to() + " "
                            + m.mobility());
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }
}

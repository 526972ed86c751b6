package dev.kompact.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void saysTheFigureIsTheSolversScoreNotTheBill() {
        StringWriter err = new StringWriter();

        new ProgressPrinter(new PrintWriter(err)).improved(2_000, HardMediumSoftLongScore.of(0, 0, -13_720_000));

        assertThat(err.toString())
                .isEqualTo("    2.0s  best plan: score $13.72/hour (the bill plus the price of moves, spot risk and"
                        + " preferences), 0 unplaced, valid\n");
    }
}

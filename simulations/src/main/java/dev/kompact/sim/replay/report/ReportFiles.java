package dev.kompact.sim.replay.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kompact.sim.replay.RunResult;
import dev.kompact.sim.replay.SimulationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a simulation's files into a directory: {@code simulation.json}, one CSV per run, {@code simulation.html}. */
public final class ReportFiles {

    public static final String JSON = "simulation.json";
    public static final String HTML = "simulation.html";

    private ReportFiles() {}

    /** @return the files written */
    public static List<Path> write(SimulationReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        Path json = directory.resolve(JSON);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        written.add(json);
        for (RunResult run : report.runs()) {
            Path csv = directory.resolve("series-" + run.policy() + "-seed" + run.seed() + ".csv");
            Files.writeString(csv, SeriesCsv.of(run));
            written.add(csv);
        }
        Path html = directory.resolve(HTML);
        Files.writeString(html, SimulationHtml.render(report));
        written.add(html);
        return written;
    }
}

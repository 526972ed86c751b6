package dev.kompact.sim.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds a trace by name (bundled Alibaba lists, Karpenter-style scenarios) or as a pod list on disk. */
public final class Traces {

    private Traces() {}

    public static List<String> names() {
        List<String> names = new ArrayList<>(AlibabaTrace.bundledNames());
        names.addAll(KarpenterScenarios.names());
        return names;
    }

    /** Whether every seed replays the same trace (only the simulation's own draws differ). */
    public static boolean isFixed(String fileOrName) {
        return !KarpenterScenarios.isScenario(fileOrName);
    }

    public static Trace load(String fileOrName, long seed) {
        if (AlibabaTrace.isBundled(fileOrName)) {
            return AlibabaTrace.bundled(fileOrName);
        }
        if (KarpenterScenarios.isScenario(fileOrName)) {
            return KarpenterScenarios.generate(fileOrName, seed);
        }
        Path path = Path.of(fileOrName);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no trace named or at \"" + fileOrName + "\"; named traces: " + names());
        }
        return AlibabaTrace.file(path);
    }
}

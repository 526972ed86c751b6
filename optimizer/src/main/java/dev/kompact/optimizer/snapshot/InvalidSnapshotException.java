package dev.kompact.optimizer.snapshot;

import java.util.List;
import java.util.stream.Collectors;

/** A snapshot that cannot be planned, with every problem found in it. */
public class InvalidSnapshotException extends Exception {

    private final String source;
    private final List<SnapshotProblem> problems;

    public InvalidSnapshotException(String source, List<SnapshotProblem> problems) {
        super(describe(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<SnapshotProblem> problems() {
        return problems;
    }

    private static String describe(String source, List<SnapshotProblem> problems) {
        String header = source + " is not a valid ClusterSnapshot (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):";
        return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n", header + "\n", ""));
    }
}

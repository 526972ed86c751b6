package dev.kompact.optimizer.snapshot;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the node, pod or budget a problem's path points into: {@code pods[412]} means nothing to whoever reads a
 * log, {@code pod "shop/web-1"} does. Problems Jackson found while reading are named too, so names are looked up
 * by the path's leading index rather than passed along while validating.
 */
final class ProblemSubjects {

    private static final Pattern TOP_LEVEL = Pattern.compile("^(nodes|pods|podDisruptionBudgets)\\[(\\d+)]");

    private final SnapshotDocument document;

    ProblemSubjects(SnapshotDocument document) {
        this.document = document;
    }

    List<SnapshotProblem> named(List<SnapshotProblem> problems) {
        return problems.stream().map(this::named).toList();
    }

    private SnapshotProblem named(SnapshotProblem problem) {
        Matcher top = TOP_LEVEL.matcher(problem.path());
        if (!problem.subject().isEmpty() || !top.find()) {
            return problem;
        }
        int index = Integer.parseInt(top.group(2));
        String subject = switch (top.group(1)) {
            case "nodes" -> subject("node", document.nodes(), index, n -> name(null, n.name()));
            case "pods" -> subject("pod", document.pods(), index, p -> name(p.namespace(), p.name()));
            default ->
                subject(
                        "budget",
                        document.podDisruptionBudgets(),
                        index,
                        b -> b.metadata() == null
                                ? ""
                                : name(b.metadata().namespace(), b.metadata().name()));
        };
        return new SnapshotProblem(problem.path(), subject, problem.message());
    }

    private static <D> String subject(String kind, List<D> documents, int index, Function<D, String> name) {
        if (documents == null || index >= documents.size() || documents.get(index) == null) {
            return "";
        }
        String named = name.apply(documents.get(index));
        return named.isEmpty() ? "" : kind + " \"" + named + "\"";
    }

    private static String name(String namespace, String name) {
        if (name == null || name.isBlank()) {
            return "";
        }
        return namespace == null || namespace.isBlank() ? name : namespace + "/" + name;
    }
}

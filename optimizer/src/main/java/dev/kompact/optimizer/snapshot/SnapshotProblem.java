package dev.kompact.optimizer.snapshot;

/**
 * One thing wrong with a snapshot, at a JSON path such as {@code pods[12].requests.cpu}, with the {@code subject} that
 * path's index stands for ({@code pod "shop/web-1"}), or empty when the document does not name it.
 */
public record SnapshotProblem(String path, String subject, String message) {

    public SnapshotProblem(String path, String message) {
        this(path, "", message);
    }

    @Override
    public String toString() {
        String at = path.isEmpty() ? message : path + ": " + message;
        return subject.isEmpty() ? at : subject + " at " + at;
    }
}

package dev.kompact.optimizer.snapshot;

/** One thing wrong with a snapshot, at a JSON path such as {@code pods[12].requests.cpu}. */
public record SnapshotProblem(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}

package dev.kompact.optimizer.model;

/** A pod volume, reduced to what decides whether the pod may move: local storage does not follow it. */
public record Volume(String name, Kind kind) {

    public enum Kind {
        EMPTY_DIR,
        HOST_PATH,
        PERSISTENT_VOLUME_CLAIM,
        OTHER
    }

    public boolean isLocal() {
        return kind == Kind.EMPTY_DIR || kind == Kind.HOST_PATH;
    }
}

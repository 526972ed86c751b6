package dev.kompact.executor.migration;

/**
 * The agent that knows how a migration ended cannot be asked: until it can, neither the source nor the target pod
 * may be deleted or resumed by the controller.
 */
public final class MigrationInDoubt extends RuntimeException {

    public MigrationInDoubt(String message) {
        super(message);
    }
}

package dev.doublelock.cli;

/** A read-only command found no state at its data location; it created none. Exit code {@link ExitCodes#NOTHING_THERE}. */
final class NothingThereException extends RuntimeException {
    NothingThereException(String message) {
        super(message);
    }
}

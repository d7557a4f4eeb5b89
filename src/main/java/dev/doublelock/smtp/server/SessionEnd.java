package dev.doublelock.smtp.server;

/** Thrown inside a session to end it after the final reply was sent. */
final class SessionEnd extends Exception {
    final CloseReason reason;

    SessionEnd(CloseReason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }
}

package dev.doublelock.smtp.server;

/** Why a session ended. */
public enum CloseReason {
    /** The client sent QUIT. */
    QUIT,
    /** The client closed the connection without QUIT (or a STARTTLS handshake failed). */
    CLIENT_CLOSED,
    /** Idle timeout or per-line deadline passed; the client got 421 4.4.2. */
    TIMEOUT,
    /** The client reached {@link SmtpLimits#maxErrors()}; it got 421. */
    TOO_MANY_ERRORS,
    /** The session's handler answered 421 (e.g. an address blocked for failing AUTH); the channel was closed. */
    REFUSED,
    /** {@link SmtpServer#close()} ended the session. */
    SERVER_SHUTDOWN,
    /** A network error (reset, TLS record error) ended the session. */
    IO_ERROR
}

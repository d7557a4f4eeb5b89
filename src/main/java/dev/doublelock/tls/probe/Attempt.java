package dev.doublelock.tls.probe;

import dev.doublelock.tls.StartTlsOutcome;

/** The result of one probe connection: either TLS could not even start, or the server's reply to the hello. */
sealed interface Attempt {
    /** Connect, SMTP or STARTTLS went wrong before any TLS byte; {@code outcome} says how. */
    record NotReached(StartTlsOutcome outcome) implements Attempt {
    }

    /** The hello was sent; this is what came back. */
    record Reached(ServerReply reply) implements Attempt {
    }
}

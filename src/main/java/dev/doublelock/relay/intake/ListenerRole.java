package dev.doublelock.relay.intake;

/** What an intake listener is for; decides who may send through it. */
public enum ListenerRole {
    /**
     * Message submission (RFC 6409, port 587): STARTTLS first, then AUTH PLAIN or LOGIN; an
     * authenticated user may send to any domain, nobody else may send at all (530 5.7.0).
     */
    SUBMISSION,
    /**
     * Relay for trusted systems (port 25): no AUTH; mail is accepted only from the allow-listed client
     * networks, everyone else is refused at RCPT TO with 554 5.7.1.
     */
    RELAY
}

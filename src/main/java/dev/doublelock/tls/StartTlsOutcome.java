package dev.doublelock.tls;

/**
 * What happened when a client asked for STARTTLS (or, for implicit TLS, whether the handshake ran).
 *
 * @param status what happened
 * @param detail the server's reply line or the failure reason, for evidence ("454 4.7.0 TLS not available")
 */
public record StartTlsOutcome(Status status, String detail) {
    public enum Status {
        /** STARTTLS advertised, 220 received (or implicit TLS), a TLS handshake was possible. */
        ESTABLISHED,
        /** EHLO did not advertise STARTTLS. */
        NOT_OFFERED,
        /** STARTTLS advertised but answered with a non-220 reply. */
        REFUSED,
        /** 220 received, but no TLS handshake could complete. */
        HANDSHAKE_FAILED,
        /** Not checked: connection/DNS failure before STARTTLS. */
        UNREACHABLE
    }

    public static StartTlsOutcome established() {
        return new StartTlsOutcome(Status.ESTABLISHED, "");
    }

    public boolean isEstablished() {
        return status == Status.ESTABLISHED;
    }
}

package dev.doublelock.lab;

import dev.doublelock.tls.probe.ProbeTarget;

/**
 * Who a recorded session was: a sending system being tested, or one of the connections that say nothing about a
 * sender — the checker probing the lab ({@code doublelock check}, recognised by its EHLO name, see
 * {@link ProbeTarget#isProbeEhloName}) and bare port checks (a connect, perhaps a QUIT, never an EHLO/HELO).
 * The results (CLI, page, JSON) show only senders unless asked for everything ({@code lab results --all},
 * {@code ?all=1}).
 */
public enum SessionKind {
    /** A sending system: it said EHLO/HELO under its own name, or delivered mail under any name. */
    SENDER("sender"),
    /** The checker's prober: its EHLO name, and no message delivered (it never sends MAIL). */
    CHECKER_PROBE("checker probe"),
    /** Connected and never said EHLO/HELO: a port scan, a monitoring check, a load balancer's health check. */
    PORT_CHECK("port check");

    private final String words;

    SessionKind(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    public static SessionKind of(SessionRecord r) {
        if (r.messages() > 0) return SENDER;
        if (r.ehloName() == null || r.ehloName().isBlank()) return PORT_CHECK;
        return ProbeTarget.isProbeEhloName(r.ehloName()) ? CHECKER_PROBE : SENDER;
    }
}

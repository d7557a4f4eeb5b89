package dev.doublelock.lab;

import java.security.Security;

/**
 * The lab must serve what modern JDKs refuse: TLS 1.0/1.1, SHA-1 signatures, RSA-1024 keys, expired
 * chains. It relaxes the JDK's disabled-algorithm lists in its own process only, before the first TLS use.
 * The checker's prober never needs this and the relay must never do it.
 *
 * <p>It also sets the system property {@code jdk.tls.ephemeralDHKeySize} to {@value LabProfile#DHE_GROUP_BITS}
 * for the dhe-1024 profile. Neither SunJSSE nor Bouncy Castle's JSSE lets a single server socket choose its
 * finite-field DHE group: both read this property (and {@code jdk.tls.server.defaultDHEParameters}) once, into
 * static fields, and use it whenever the client and server agree on no RFC 7919 FFDHE group. Within the lab the
 * property reaches only dhe-1024, the one profile with DHE suites (every profile's named groups are ECDHE-only,
 * so no RFC 7919 group is ever agreed). SunJSSE reads it at its first TLS 1.2 handshake, hence "before the first
 * TLS use"; {@code ProfileTls} verifies at start that dhe-1024 really serves a 1024-bit group.
 */
public final class LegacyTls {
    private static volatile boolean relaxed;

    private LegacyTls() {
    }

    /**
     * Clears {@code jdk.tls.disabledAlgorithms} and {@code jdk.certpath.disabledAlgorithms} for this JVM.
     *
     * @return a sentence to print at start, saying what was done and why
     */
    public static synchronized String relaxForThisProcess() {
        Security.setProperty("jdk.tls.disabledAlgorithms", "");
        Security.setProperty("jdk.certpath.disabledAlgorithms", "");
        Security.setProperty("jdk.tls.legacyAlgorithms", "");
        System.setProperty("jdk.tls.ephemeralDHKeySize", String.valueOf(LabProfile.DHE_GROUP_BITS));
        relaxed = true;
        return "lab: the JDK's disabled-algorithm lists are relaxed in this process only, so the lab can serve "
                + "TLS 1.0/1.1, SHA-1, MD5, RSA-1024 and (for DHE suites, which only dhe-1024 offers) a 1024-bit DH group on purpose. Never run the relay in this process.";
    }

    public static boolean isRelaxed() {
        return relaxed;
    }
}

package dev.doublelock.lab;

import java.security.Security;

/**
 * The lab must serve what modern JDKs refuse: TLS 1.0/1.1, SHA-1 signatures, RSA-1024 keys, expired
 * chains. It relaxes the JDK's disabled-algorithm lists in its own process only, before the first TLS use.
 * The checker's prober never needs this and the relay must never do it.
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
        relaxed = true;
        return "lab: the JDK's disabled-algorithm lists are relaxed in this process only, so the lab can serve "
                + "TLS 1.0/1.1, SHA-1 and RSA-1024 on purpose. Never run the relay in this process.";
    }

    public static boolean isRelaxed() {
        return relaxed;
    }
}

package dev.doublelock.tls.probe;

import dev.doublelock.tls.TlsVersion;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How hard and how long to probe.
 *
 * @param connectTimeout        TCP connect timeout
 * @param readTimeout           longest silence tolerated on one read (SMTP line or TLS record)
 * @param maxConnectionsPerHost connections open at once to one IP address (shared by all probes of one prober)
 * @param versions              protocol versions to test
 * @param enumerateSuites       find every accepted suite per version (else only whether the version is accepted)
 * @param enumerateGroups       find every accepted key-exchange group
 * @param targetDeadline        upper bound for probing one target; what is not done by then is reported untested
 * @param ehloName              the name every probe connection gives in EHLO (RFC 5321 §4.1.1.1); by default
 *                              {@link ProbeTarget#DEFAULT_EHLO_NAME}, which the lab recognises as the checker's
 *                              own probes and keeps out of its results (see {@link ProbeTarget#isProbeEhloName})
 * @param transport             how TLS starts on targets that do not say so themselves (the checker's
 *                              {@code --starttls smtp|none}, {@code --implicit-tls}); SMTP STARTTLS by default
 * @param vulnerabilityProbes   run the vulnerability probes (SSL 2.0, fallback SCSV, renegotiation, Heartbleed, CCS,
 *                              STARTTLS injection) after the enumeration; on by default ({@code check --no-vulnerabilities}
 *                              turns them off: fewer connections, no vulnerability facts)
 * @param reactionWait          how long a vulnerability probe waits for the server's reaction to what it sent before it
 *                              takes silence for the answer (Heartbleed, CCS injection, ROBOT, SSL 2.0, renegotiation);
 *                              {@link #DEFAULT_REACTION_WAIT} by default
 */
public record ProbeOptions(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                           Set<TlsVersion> versions, boolean enumerateSuites, boolean enumerateGroups,
                           Duration targetDeadline, String ehloName, Transport transport, boolean vulnerabilityProbes,
                           Duration reactionWait) {
    /** What a probe waits for a server's reaction unless told otherwise: long enough for a loaded server, short per probe. */
    public static final Duration DEFAULT_REACTION_WAIT = Duration.ofMillis(1_500);

    public ProbeOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(targetDeadline, "targetDeadline");
        Objects.requireNonNull(reactionWait, "reactionWait");
        if (reactionWait.isNegative() || reactionWait.isZero() || reactionWait.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the reaction wait must be positive (e.g. 1500 ms), got " + reactionWait);
        }
        if (maxConnectionsPerHost < 1) {
            throw new IllegalArgumentException("maxConnectionsPerHost must be at least 1, got " + maxConnectionsPerHost);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("connect and read timeouts must be positive");
        }
        versions = versions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(versions));
        ehloName = ehloName == null || ehloName.isBlank() ? ProbeTarget.DEFAULT_EHLO_NAME : ehloName;
        if (!ehloName.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("the EHLO name must be a host name such as doublelock-check.example.org, "
                    + "without spaces or control characters; got: " + ehloName);
        }
    }

    public ProbeOptions(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                        Set<TlsVersion> versions, boolean enumerateSuites, boolean enumerateGroups,
                        Duration targetDeadline, String ehloName, Transport transport) {
        this(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites, enumerateGroups,
                targetDeadline, ehloName, transport, true);
    }

    /** With the {@link #DEFAULT_REACTION_WAIT}. */
    public ProbeOptions(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                        Set<TlsVersion> versions, boolean enumerateSuites, boolean enumerateGroups,
                        Duration targetDeadline, String ehloName, Transport transport, boolean vulnerabilityProbes) {
        this(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites, enumerateGroups,
                targetDeadline, ehloName, transport, vulnerabilityProbes, DEFAULT_REACTION_WAIT);
    }

    public ProbeOptions withVulnerabilityProbes(boolean on) {
        return new ProbeOptions(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites,
                enumerateGroups, targetDeadline, ehloName, transport, on, reactionWait);
    }

    /** Probing SMTP STARTTLS where the target does not say otherwise. */
    public ProbeOptions(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                        Set<TlsVersion> versions, boolean enumerateSuites, boolean enumerateGroups,
                        Duration targetDeadline, String ehloName) {
        this(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites, enumerateGroups,
                targetDeadline, ehloName, Transport.SMTP_STARTTLS);
    }

    /** With the default EHLO name ({@link ProbeTarget#DEFAULT_EHLO_NAME}). */
    public ProbeOptions(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                        Set<TlsVersion> versions, boolean enumerateSuites, boolean enumerateGroups,
                        Duration targetDeadline) {
        this(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites, enumerateGroups,
                targetDeadline, ProbeTarget.DEFAULT_EHLO_NAME);
    }

    /** Without an explicit target deadline: 3 minutes. */
    public ProbeOptions(Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                        Set<TlsVersion> versions, boolean enumerateSuites, boolean enumerateGroups) {
        this(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites, enumerateGroups,
                Duration.ofMinutes(3));
    }

    /** 10 s connect, 10 s read, 4 connections per host, all versions, enumerate suites and groups. */
    public static ProbeOptions defaults() {
        return new ProbeOptions(Duration.ofSeconds(10), Duration.ofSeconds(10), 4, EnumSet.allOf(TlsVersion.class),
                true, true);
    }

    public ProbeOptions withTimeouts(Duration connect, Duration read, Duration target) {
        return new ProbeOptions(connect, read, maxConnectionsPerHost, versions, enumerateSuites, enumerateGroups, target,
                ehloName, transport, vulnerabilityProbes, reactionWait);
    }

    /** At most {@code n} connections at once to one host (the default is 4). */
    public ProbeOptions withMaxConnectionsPerHost(int n) {
        return new ProbeOptions(connectTimeout, readTimeout, n, versions, enumerateSuites, enumerateGroups,
                targetDeadline, ehloName, transport, vulnerabilityProbes, reactionWait);
    }

    public ProbeOptions withVersions(Set<TlsVersion> v) {
        return new ProbeOptions(connectTimeout, readTimeout, maxConnectionsPerHost, v, enumerateSuites, enumerateGroups,
                targetDeadline, ehloName, transport, vulnerabilityProbes, reactionWait);
    }

    public ProbeOptions withEhloName(String name) {
        return new ProbeOptions(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites,
                enumerateGroups, targetDeadline, name, transport, vulnerabilityProbes, reactionWait);
    }

    public ProbeOptions withTransport(Transport t) {
        return new ProbeOptions(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites,
                enumerateGroups, targetDeadline, ehloName, t, vulnerabilityProbes, reactionWait);
    }

    /** Waiting {@code wait} for a server's reaction in the vulnerability probes (see {@link #reactionWait}). */
    public ProbeOptions withReactionWait(Duration wait) {
        return new ProbeOptions(connectTimeout, readTimeout, maxConnectionsPerHost, versions, enumerateSuites,
                enumerateGroups, targetDeadline, ehloName, transport, vulnerabilityProbes, wait);
    }
}

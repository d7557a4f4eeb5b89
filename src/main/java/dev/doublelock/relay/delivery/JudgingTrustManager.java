package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.transport.Action;
import dev.doublelock.policy.transport.Authentication;
import dev.doublelock.policy.transport.ChainAuthentication;
import dev.doublelock.policy.transport.HandshakeEvidence;
import dev.doublelock.policy.transport.TransportDecision;
import dev.doublelock.policy.transport.TransportRequirement;
import dev.doublelock.policy.transport.TransportVerdict;
import dev.doublelock.tls.EphemeralKeyRecorder;
import dev.doublelock.tls.ServerOnlyTrustManager;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsVersion;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Where the relay's handshake meets the transport decision. When the server's chain arrives, this trust manager
 * records it, runs the TLS provider's own PKIX validation (with its algorithm constraints) as evidence for
 * PKIX-authenticated hosts, and asks {@link TransportDecision#judge} — the same decision the checker uses — for
 * the verdict on the session as negotiated so far. It decides nothing itself.
 *
 * <p>Under {@link Verification#REQUIRED} a verdict other than DELIVER throws {@link CertificateException}, so the
 * handshake ends with an alert and nothing is sent. Under {@link Verification#RECORD_ONLY} (unauthenticated TLS
 * where the requirement would otherwise accept plaintext, as Postfix {@code may} does) the verdict is recorded
 * and the session goes on, marked unverified ({@link #unverified()}); RECORD_ONLY is refused for any requirement
 * that makes TLS mandatory (an enforced policy, DANE, MTA-STS enforce, REQUIRETLS). This is not a trust-all
 * manager: it never calls a chain verified that the decision did not authenticate.
 *
 * <p>The key exchange: in TLS 1.3 the server's key share arrives before the Certificate, so the verdict here already
 * includes its group (read from the socket's {@link EphemeralKeyRecorder}); in TLS 1.2 the ServerKeyExchange comes
 * after the Certificate, so the caller judges the complete session again after the handshake, before MAIL FROM.
 * JSSE's own endpoint identification is off: the decision checks names, with a finding instead of a bare exception.
 * One instance per handshake (a cached context reaches it through {@link ThreadBoundTrustManager}); a resumed
 * session is judged by {@link #judgeResumed}.
 */
final class JudgingTrustManager extends ServerOnlyTrustManager {
    /** Whether a verdict against the server ends the handshake, or is only recorded. */
    enum Verification {
        /** Verified TLS: a verdict other than DELIVER rejects the chain. */
        REQUIRED,
        /** Unauthenticated TLS where plaintext is the alternative: the verdict is recorded, the session goes on. */
        RECORD_ONLY
    }

    private final X509ExtendedTrustManager pkix;
    private final TransportDecision decision;
    private final TransportRequirement requirement;
    private final PolicyContext ctx;
    private final String endpoint;
    private final Optional<String> sni;
    private final Verification verification;

    private volatile List<X509Certificate> chain = List.of();
    private volatile TransportVerdict verdict;
    private volatile String pkixFailure;
    private volatile String unverified;
    private volatile String rejection;
    private volatile boolean consulted;
    private volatile Optional<TlsVersion> negotiated = Optional.empty();

    JudgingTrustManager(X509ExtendedTrustManager pkix, TransportDecision decision, TransportRequirement requirement,
                        PolicyContext ctx, String endpoint, Optional<String> sni, Verification verification) {
        super("the relay's delivery side never accepts client certificates");
        if (verification == Verification.RECORD_ONLY && requirement.verified()) {
            throw new IllegalArgumentException("the requirement " + requirement.label() + " makes TLS mandatory: "
                    + "RECORD_ONLY is only for requirements that would otherwise accept plaintext");
        }
        this.pkix = pkix;
        this.decision = decision;
        this.requirement = requirement;
        this.ctx = ctx;
        this.endpoint = endpoint;
        this.sni = sni;
        this.verification = verification;
    }

    /** The chain the server sent, leaf first; empty if the handshake never got that far. */
    List<X509Certificate> chain() {
        return chain;
    }

    /** The verdict on the session as negotiated when the chain arrived, if it arrived. */
    Optional<TransportVerdict> verdict() {
        return Optional.ofNullable(verdict);
    }

    /** The verdict's findings, empty if the chain never arrived. */
    List<Finding> findings() {
        return verdict == null ? List.of() : verdict.findings();
    }

    /** Why the chain was rejected (REQUIRED), if it was. */
    Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    /** Why the TLS provider's own PKIX validation failed, if it ran and failed. */
    Optional<String> pkixFailure() {
        return Optional.ofNullable(pkixFailure);
    }

    Verification verification() {
        return verification;
    }

    /** Why the session is not authenticated (RECORD_ONLY, or mandatory-unauthenticated TLS), if it is not. */
    Optional<String> unverified() {
        return Optional.ofNullable(unverified);
    }

    /** True if a handshake called this trust manager (a resumed session does not: its chain was judged before). */
    boolean consulted() {
        return consulted;
    }

    /** What the handshake showed besides the session, for the judgement after it. */
    /**
     * The protocol version of the handshake whose chain this judged (the server's ServerHello chose it), even if
     * the chain was then rejected; empty before the chain arrived.
     */
    Optional<TlsVersion> negotiatedProtocol() {
        return negotiated;
    }

    HandshakeEvidence evidence(Optional<String> alert, int suitesOffered) {
        return new HandshakeEvidence(alert, suitesOffered, !chain.isEmpty(),
                rejection != null ? findings() : List.of(), pkixFailure());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        consulted = true;
        SSLSocket s = socket instanceof SSLSocket x ? x : null;
        decide(certs, Negotiated.of(s == null ? null : s.getHandshakeSession(),
                s == null ? null : s.getSSLParameters().getAlgorithmConstraints()),
                () -> pkix.checkServerTrusted(certs, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine sslEngine) throws CertificateException {
        consulted = true;
        decide(certs, Negotiated.of(sslEngine == null ? null : sslEngine.getHandshakeSession(),
                sslEngine == null ? null : sslEngine.getSSLParameters().getAlgorithmConstraints()),
                () -> pkix.checkServerTrusted(certs, authType, sslEngine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("the relay verifies servers only within a TLS handshake (socket or engine)");
    }

    /**
     * The chain of a handshake made by the legacy engine ({@link dev.doublelock.smtp.client.LegacyTlsConfig}), which
     * has no JSSE session: judged with the protocol and suite the server chose, PKIX without a socket (the JDK's
     * default algorithm constraints). Only under RECORD_ONLY: the legacy engine is never used for verified TLS.
     */
    void judgeLegacy(List<X509Certificate> peerChain, TlsVersion protocol, String suite) throws CertificateException {
        if (verification != Verification.RECORD_ONLY) {
            // the handshake ends here (nothing is ever sent over it); the version the server chose is kept as
            // evidence of why the JDK's handshake failed (see HandshakeEvidence#legacyVersion)
            negotiated = Optional.of(protocol);
            throw new CertificateException("the legacy TLS engine is for unauthenticated TLS only");
        }
        consulted = true;
        X509Certificate[] certs = peerChain.toArray(X509Certificate[]::new);
        decide(certs, new Negotiated(Optional.of(protocol), Optional.of(suite), Optional.empty(), Optional.empty()),
                () -> pkix.checkServerTrusted(certs, "UNKNOWN"));
    }

    /**
     * The same decision for a RESUMED session, whose handshake did not consult any trust manager: the chain the
     * session was established with is judged again now, with the protocol and suite of the resumed session.
     *
     * @throws CertificateException if the session must not be used
     */
    void judgeResumed(List<X509Certificate> peerChain, Optional<TlsVersion> protocol, Optional<String> suite)
            throws CertificateException {
        X509Certificate[] certs = peerChain.toArray(X509Certificate[]::new);
        if (certs.length == 0) {
            rejection = "the resumed session has no server certificate to judge";
            throw new CertificateException(rejection);
        }
        // no handshake in progress: PKIX without a socket, with the JDK's default algorithm constraints
        decide(certs, new Negotiated(protocol, suite, Optional.empty(), Optional.empty()),
                () -> pkix.checkServerTrusted(certs, "UNKNOWN"));
    }

    private void decide(X509Certificate[] certs, Negotiated n, Check providerPkix) throws CertificateException {
        chain = certs == null ? List.of() : List.of(certs);
        negotiated = n.protocol();
        pkixFailure = null;
        if (requirement.authentication() instanceof ChainAuthentication.Pkix && !chain.isEmpty()) {
            try {
                providerPkix.run();
            } catch (CertificateException | RuntimeException e) {
                pkixFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        SessionObservation o = new SessionObservation(requirement.host(), endpoint, StartTlsOutcome.established(),
                n.protocol(), n.suite(), n.group(), n.dhBits(), chain, sni);
        TransportVerdict v = decision.judge(requirement, o, ctx,
                new HandshakeEvidence(Optional.empty(), 0, true, List.of(), Optional.ofNullable(pkixFailure)));
        verdict = v;
        if (v.action() != Action.DELIVER) {
            if (verification == Verification.REQUIRED) {
                rejection = v.reason();
                throw new CertificateException(rejection);
            }
            unverified = v.reason();
        } else if (v.authenticatedBy() == Authentication.NONE && unverified == null) {
            unverified = "the chain is not authenticated" + (v.findings().isEmpty() ? ""
                    : ": " + String.join(", ", v.findings().stream().map(f -> f.code().name()).distinct().toList()));
        }
    }

    /**
     * The protocol, suite and (TLS 1.3: the key share precedes the Certificate) key exchange negotiated so far, as
     * far as known.
     */
    private record Negotiated(Optional<TlsVersion> protocol, Optional<String> suite, Optional<String> group,
                              Optional<Integer> dhBits) {
        static Negotiated of(SSLSession hs, java.security.AlgorithmConstraints constraints) {
            EphemeralKeyRecorder.KeyExchange kx = constraints instanceof EphemeralKeyRecorder r ? r.keyExchange()
                    : EphemeralKeyRecorder.KeyExchange.UNKNOWN;
            if (hs == null) {
                return new Negotiated(Optional.empty(), Optional.empty(), kx.group(), kx.dhBits());
            }
            Optional<TlsVersion> protocol;
            try {
                protocol = Optional.of(TlsVersion.forJavaName(hs.getProtocol()));
            } catch (RuntimeException e) {
                protocol = Optional.empty();
            }
            return new Negotiated(protocol, Optional.ofNullable(hs.getCipherSuite()).filter(s -> !s.startsWith("SSL_NULL")),
                    kx.group(), kx.dhBits());
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    @FunctionalInterface
    private interface Check {
        void run() throws CertificateException;
    }
}

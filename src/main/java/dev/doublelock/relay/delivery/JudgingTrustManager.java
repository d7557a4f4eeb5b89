package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.dane.DaneResult;
import dev.doublelock.policy.dane.TlsaMatcher;
import dev.doublelock.tls.EphemeralKeyRecorder;
import dev.doublelock.tls.HostnameMatcher;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The relay's trust decision for one outgoing handshake. It never accepts a chain it has not verified:
 * <ol>
 *   <li>it records the chain the server sent;</li>
 *   <li>it lets the {@link PolicyEngine} judge the session as negotiated so far (protocol, suite, chain,
 *       names) and keeps the findings, so that a refusal can be NAMED (EXPIRED_CERTIFICATE, WEAK_KEY, ...);
 *       with {@code refuseOnPolicyFail} any FAIL finding rejects the chain;</li>
 *   <li>it authenticates the chain: by default ({@link ChainAuthentication.WebPki}) with the JDK's PKIX
 *       validation against the configured anchors (with the JDK's own algorithm constraints) and a leaf that
 *       names the reference identifier (RFC 6125); for a DANE host ({@link ChainAuthentication.Dane}) by its
 *       TLSA records instead (RFC 7672 §3): DANE-EE(3) pins the leaf with no name or date checks, DANE-TA(2)
 *       pins an issuer, the chain up to it must verify and the leaf must name the MX host or the domain. A
 *       chain no usable record matches is rejected with DANE_TLSA_MISMATCH.</li>
 * </ol>
 * Under {@link Verification#REQUIRED} any failure throws {@link CertificateException}, so the handshake ends with
 * an alert and nothing is sent. Under {@link Verification#RECORD_ONLY} (unauthenticated TLS, as Postfix {@code may}
 * does it: the alternative would be plaintext) every step still runs and records its findings, but none throws:
 * the session is encrypted and marked unverified ({@link #unverified()}). RECORD_ONLY is chosen only where the
 * stance allows plaintext; never under DANE (refused by the constructor), MTA-STS enforce, REQUIRETLS or an
 * enforced policy. This is not a trust-all manager: it never calls a chain verified that it has not verified.
 *
 * <p>The key exchange: in TLS 1.3 the server's key share arrives before the Certificate, so the judgement here
 * already includes its group (read from the socket's {@link EphemeralKeyRecorder}); in TLS 1.2 the
 * ServerKeyExchange comes after the Certificate, so the group is not known yet here and the caller judges the
 * complete session again after the handshake, before MAIL FROM.
 * JSSE's own endpoint identification is off because step 3 does it here, with a finding instead of a bare
 * exception. One instance per handshake (a cached context reaches it through {@link ThreadBoundTrustManager});
 * the recorded results are read after the handshake. A resumed session is judged by {@link #judgeResumed}.
 */
final class JudgingTrustManager extends ServerOnlyTrustManager {
    /** Whether a failed check ends the handshake, or is only recorded. */
    enum Verification {
        /** Verified TLS: any PKIX, name, DANE or (with refuseOnPolicyFail) policy failure rejects the chain. */
        REQUIRED,
        /** Unauthenticated TLS where plaintext is the alternative: every check runs and is recorded, none rejects. */
        RECORD_ONLY
    }

    private final X509ExtendedTrustManager pkix;
    private final PolicyEngine engine;
    private final PolicyContext ctx;
    private final String referenceName;
    private final String endpoint;
    private final Optional<String> sni;
    private final boolean refuseOnPolicyFail;
    private final ChainAuthentication authentication;
    private final Verification verification;

    private volatile List<X509Certificate> chain = List.of();
    private volatile String unverified;
    private volatile DaneResult daneResult;
    private volatile List<Finding> findings = List.of();
    private volatile String rejection;
    private volatile boolean consulted;

    JudgingTrustManager(X509ExtendedTrustManager pkix, PolicyEngine engine, PolicyContext ctx, String referenceName,
                        String endpoint, Optional<String> sni, boolean refuseOnPolicyFail,
                        ChainAuthentication authentication, Verification verification) {
        super("the relay's delivery side never accepts client certificates");
        if (verification == Verification.RECORD_ONLY
                && (refuseOnPolicyFail || authentication instanceof ChainAuthentication.Dane)) {
            throw new IllegalArgumentException("an enforced policy or DANE needs verified TLS: RECORD_ONLY is only for "
                    + "stances that would otherwise send in plaintext");
        }
        this.verification = verification;
        this.pkix = pkix;
        this.engine = engine;
        this.ctx = ctx;
        this.referenceName = referenceName;
        this.endpoint = endpoint;
        this.sni = sni;
        this.refuseOnPolicyFail = refuseOnPolicyFail;
        this.authentication = authentication;
    }

    /** How this handshake's chain is authenticated. */
    ChainAuthentication authentication() {
        return authentication;
    }

    /** The outcome of matching the chain against the TLSA records, for a DANE host that got that far. */
    Optional<DaneResult> daneResult() {
        return Optional.ofNullable(daneResult);
    }

    /** The chain the server sent, leaf first; empty if the handshake never got that far. */
    List<X509Certificate> chain() {
        return chain;
    }

    /** The policy's findings on the session as negotiated when the chain arrived (plus PKIX/name failures). */
    List<Finding> findings() {
        return findings;
    }

    /** Why the chain was rejected, if it was. */
    Optional<String> rejection() {
        return Optional.ofNullable(rejection);
    }

    Verification verification() {
        return verification;
    }

    /**
     * RECORD_ONLY: why the session the handshake went on with is not verified (the first failed check), if a check
     * failed. Empty under REQUIRED (a failure there rejects the chain instead).
     */
    Optional<String> unverified() {
        return Optional.ofNullable(unverified);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        consulted = true;
        SSLSocket s = socket instanceof SSLSocket x ? x : null;
        Negotiated hs = Negotiated.of(s == null ? null : s.getHandshakeSession(),
                s == null ? null : s.getSSLParameters().getAlgorithmConstraints());
        if (authentication instanceof ChainAuthentication.Dane dane) {
            daneCheck(certs, hs, dane);
            return;
        }
        webPki(certs, hs, () -> pkix.checkServerTrusted(certs, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine sslEngine) throws CertificateException {
        consulted = true;
        Negotiated hs = Negotiated.of(sslEngine == null ? null : sslEngine.getHandshakeSession(),
                sslEngine == null ? null : sslEngine.getSSLParameters().getAlgorithmConstraints());
        if (authentication instanceof ChainAuthentication.Dane dane) {
            daneCheck(certs, hs, dane);
            return;
        }
        webPki(certs, hs, () -> pkix.checkServerTrusted(certs, authType, sslEngine));
    }

    /**
     * The chain of a handshake made by the legacy engine ({@link dev.doublelock.smtp.client.LegacyTlsConfig}), which
     * has no JSSE session: judged with the protocol and suite the server chose, PKIX without a socket (the JDK's
     * default algorithm constraints). Only under RECORD_ONLY: the legacy engine is never used for verified TLS.
     */
    void judgeLegacy(List<X509Certificate> peerChain, TlsVersion protocol, String suite) throws CertificateException {
        if (verification != Verification.RECORD_ONLY) {
            throw new CertificateException("the legacy TLS engine is for unauthenticated TLS only");
        }
        consulted = true;
        X509Certificate[] certs = peerChain.toArray(X509Certificate[]::new);
        webPki(certs, new Negotiated(Optional.of(protocol), Optional.of(suite), Optional.empty(), Optional.empty()),
                () -> pkix.checkServerTrusted(certs, "UNKNOWN"));
    }

    /** Policy, PKIX and name; each runs even when an earlier one failed under RECORD_ONLY. */
    private void webPki(X509Certificate[] certs, Negotiated hs, Check pkixValidation) throws CertificateException {
        step(() -> judge(certs, hs));
        step(() -> pkixCheck(pkixValidation));
        step(() -> nameCheck(certs));
    }

    /** Runs one check: under REQUIRED its failure propagates, under RECORD_ONLY it is noted and the next runs. */
    private void step(Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            if (verification == Verification.REQUIRED) {
                throw e;
            }
            if (unverified == null) {
                unverified = rejection != null ? rejection : e.getMessage();
            }
            rejection = null;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("the relay verifies servers only within a TLS handshake (socket or engine)");
    }

    private void judge(X509Certificate[] certs, Negotiated n) throws CertificateException {
        findings = evaluate(certs, n);
        refuseIfPolicyFails();
    }

    /** The policy's findings on the session as negotiated so far, with the chain just received. */
    private List<Finding> evaluate(X509Certificate[] certs, Negotiated n) {
        chain = certs == null ? List.of() : List.of(certs);
        SessionObservation o = new SessionObservation(referenceName, endpoint, StartTlsOutcome.established(),
                n.protocol(), n.suite(), n.group(), n.dhBits(), chain, sni);
        return engine.evaluate(o, ctx);
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

    /** True if a handshake called this trust manager (a resumed session does not: its chain was judged before). */
    boolean consulted() {
        return consulted;
    }

    /**
     * The same decision for a RESUMED session, whose handshake did not consult any trust manager: the chain the
     * session was established with is judged again now (policy, then DANE or PKIX and name), with the protocol and
     * suite of the resumed session. Records chain, findings and rejection as a handshake would.
     *
     * @throws CertificateException if the session must not be used
     */
    void judgeResumed(List<X509Certificate> peerChain, Optional<TlsVersion> protocol, Optional<String> suite)
            throws CertificateException {
        X509Certificate[] certs = peerChain.toArray(X509Certificate[]::new);
        Negotiated n = new Negotiated(protocol, suite, Optional.empty(), Optional.empty());
        if (certs.length == 0) {
            rejection = "the resumed session has no server certificate to judge";
            throw new CertificateException(rejection);
        }
        if (authentication instanceof ChainAuthentication.Dane dane) {
            daneCheck(certs, n, dane);
            return;
        }
        // no handshake in progress: PKIX without a socket, with the JDK's default algorithm constraints
        webPki(certs, n, () -> pkix.checkServerTrusted(certs, "UNKNOWN"));
    }

    private void refuseIfPolicyFails() throws CertificateException {
        List<String> fails = findings.stream().filter(f -> f.severity() == Severity.FAIL)
                .map(f -> f.code().name()).distinct().toList();
        if (refuseOnPolicyFail && !fails.isEmpty()) {
            rejection = "the policy " + engine.policy().name() + " refuses this server: " + String.join(", ", fails);
            throw new CertificateException(rejection);
        }
    }

    /** RFC 7672 §3: TLSA records instead of PKIX; the policy's parameter checks still apply. */
    private void daneCheck(X509Certificate[] certs, Negotiated negotiated, ChainAuthentication.Dane dane)
            throws CertificateException {
        List<Finding> evaluated = evaluate(certs, negotiated);
        DaneResult result = TlsaMatcher.match(dane.records(), chain);
        daneResult = result;
        boolean ee = !(result instanceof DaneResult.Matched m) || !m.needsNameCheck();
        findings = ChainAuthentication.withoutSuperseded(evaluated, ee);
        switch (result) {
            case DaneResult.Mismatch mm -> {
                rejection = "no TLSA record at " + dane.tlsaName() + " matches the server's certificate chain";
                add(new Finding(FindingCode.DANE_TLSA_MISMATCH, Severity.FAIL, endpoint + " certificate #0",
                        mm.usableRecords() + " usable TLSA record(s) at " + dane.tlsaName() + ", none matches the "
                                + mm.certificates() + " certificate(s) presented", "RFC 7672 §2.2, §3",
                        "Publish TLSA records for the certificate the server presents now (before changing keys, "
                                + "publish the new key's record next to the old one), or fix the server's certificate."));
                throw new CertificateException(rejection);
            }
            case DaneResult.NoUsableRecords n -> {
                rejection = "no usable TLSA record at " + dane.tlsaName();
                throw new CertificateException(rejection);
            }
            case DaneResult.Matched m -> {
                if (m.needsNameCheck()) {
                    daneTaChain(certs, m.certIndex(), dane);
                    daneName(certs[0], dane);
                }
            }
        }
        refuseIfPolicyFails();
    }

    /** DANE-TA(2): each certificate below the matched trust anchor is signed by the next, and is within its dates. */
    private void daneTaChain(X509Certificate[] certs, int anchorIndex, ChainAuthentication.Dane dane)
            throws CertificateException {
        Date now = Date.from(ctx.now());
        for (int i = 0; i < anchorIndex; i++) {
            try {
                if (!certs[i].getIssuerX500Principal().equals(certs[i + 1].getSubjectX500Principal())) {
                    throw new CertificateException("certificate #" + i + " is not issued by certificate #" + (i + 1));
                }
                certs[i].verify(certs[i + 1].getPublicKey());
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                rejection = "the chain does not lead to the DANE-TA certificate matched at " + dane.tlsaName() + ": "
                        + e.getMessage();
                add(new Finding(FindingCode.DANE_TLSA_MISMATCH, Severity.FAIL, endpoint + " certificate #" + i,
                        e.getMessage(), "RFC 7672 §3.1.2", "Send the full chain up to the certificate the DANE-TA "
                        + "record names."));
                throw new CertificateException(rejection, e);
            }
            try {
                certs[i].checkValidity(now);
            } catch (CertificateException e) {
                boolean expired = certs[i].getNotAfter().before(now);
                rejection = "certificate #" + i + " below the DANE-TA anchor is " + (expired ? "expired" : "not yet valid");
                FindingCode code = expired ? FindingCode.EXPIRED_CERTIFICATE : FindingCode.NOT_YET_VALID_CERTIFICATE;
                if (findings.stream().noneMatch(f -> f.code() == code)) {
                    add(new Finding(code, Severity.FAIL, endpoint + " certificate #" + i, (expired ? "notAfter "
                            + certs[i].getNotAfter().toInstant() : "notBefore " + certs[i].getNotBefore().toInstant()),
                            "RFC 7672 §3.1.2", "Renew the server's certificate."));
                }
                throw new CertificateException(rejection, e);
            }
        }
    }

    /** RFC 7672 §3.2.2: a DANE-TA leaf must name the MX host (TLSA base domain) or the recipient domain. */
    private void daneName(X509Certificate leaf, ChainAuthentication.Dane dane) throws CertificateException {
        for (String name : dane.referenceNames()) {
            if (HostnameMatcher.matches(leaf, name)) {
                return;
            }
        }
        rejection = "the certificate names none of " + dane.referenceNames();
        add(new Finding(FindingCode.BAD_CERT_DOMAIN, Severity.FAIL, endpoint + " certificate #0",
                "reference names " + dane.referenceNames(), "RFC 7672 §3.2.2",
                "Get a certificate whose subjectAltName contains the MX host name " + dane.referenceNames().get(0) + "."));
        throw new CertificateException(rejection);
    }

    private void pkixCheck(Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException | RuntimeException e) {
            rejection = "PKIX validation failed: " + e.getMessage();
            if (findings.stream().noneMatch(f -> isCertificateCode(f.code()))) {
                add(new Finding(FindingCode.UNKNOWN_ISSUER, ownSeverity(), endpoint + " certificate #0",
                        e.getMessage(), "RFC 5280 §6.1 (PKIX path validation)",
                        "The server's chain does not validate against the relay's trust anchors: send the full chain "
                                + "from a CA the relay trusts."));
            }
            throw new CertificateException(rejection, e);
        }
    }

    private void nameCheck(X509Certificate[] certs) throws CertificateException {
        if (certs.length == 0 || !HostnameMatcher.matches(certs[0], referenceName)) {
            rejection = "the certificate does not name " + referenceName;
            if (findings.stream().noneMatch(f -> f.code() == FindingCode.BAD_CERT_DOMAIN)) {
                add(new Finding(FindingCode.BAD_CERT_DOMAIN, ownSeverity(), endpoint + " certificate #0",
                        "reference name " + referenceName, "RFC 6125 §6.4",
                        "Get a certificate whose subjectAltName contains " + referenceName + "."));
            }
            throw new CertificateException(rejection);
        }
    }

    /**
     * A PKIX or name failure this class finds itself: FAIL when it rejects the chain (REQUIRED); under RECORD_ONLY
     * FAIL for a policy that would refuse it (TESTING mode counts it as a would-be refusal), WARN under a report-only
     * policy, as the engine grades its own findings.
     */
    private Severity ownSeverity() {
        return verification == Verification.RECORD_ONLY
                && engine.policy().mode() == dev.doublelock.policy.Policy.Mode.REPORT_ONLY ? Severity.WARN : Severity.FAIL;
    }

    private void add(Finding f) {
        List<Finding> l = new ArrayList<>(findings);
        l.add(f);
        findings = List.copyOf(l);
    }

    private static boolean isCertificateCode(FindingCode c) {
        return switch (c) {
            case UNKNOWN_ISSUER, EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, WEAK_SIGNATURE_ALGORITHM, WEAK_KEY,
                 BAD_CERT_DOMAIN -> true;
            default -> false;
        };
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

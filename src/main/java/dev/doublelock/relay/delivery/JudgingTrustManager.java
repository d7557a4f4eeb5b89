package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.policy.dane.DaneResult;
import dev.doublelock.policy.dane.TlsaMatcher;
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
 * Any failure throws {@link CertificateException}, so the handshake ends with an alert and nothing is sent.
 * JSSE's own endpoint identification is off because step 3 does it here, with a finding instead of a bare
 * exception. One instance per handshake (a cached context reaches it through {@link ThreadBoundTrustManager});
 * the recorded results are read after the handshake. A resumed session is judged by {@link #judgeResumed}.
 */
final class JudgingTrustManager extends ServerOnlyTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final PolicyEngine engine;
    private final PolicyContext ctx;
    private final String referenceName;
    private final String endpoint;
    private final Optional<String> sni;
    private final boolean refuseOnPolicyFail;
    private final ChainAuthentication authentication;

    private volatile List<X509Certificate> chain = List.of();
    private volatile DaneResult daneResult;
    private volatile List<Finding> findings = List.of();
    private volatile String rejection;
    private volatile boolean consulted;

    JudgingTrustManager(X509ExtendedTrustManager pkix, PolicyEngine engine, PolicyContext ctx, String referenceName,
                        String endpoint, Optional<String> sni, boolean refuseOnPolicyFail,
                        ChainAuthentication authentication) {
        super("the relay's delivery side never accepts client certificates");
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

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        consulted = true;
        Negotiated hs = Negotiated.of(socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
        if (authentication instanceof ChainAuthentication.Dane dane) {
            daneCheck(certs, hs, dane);
            return;
        }
        judge(certs, hs);
        pkixCheck(() -> pkix.checkServerTrusted(certs, authType, socket));
        nameCheck(certs);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine sslEngine) throws CertificateException {
        consulted = true;
        Negotiated hs = Negotiated.of(sslEngine == null ? null : sslEngine.getHandshakeSession());
        if (authentication instanceof ChainAuthentication.Dane dane) {
            daneCheck(certs, hs, dane);
            return;
        }
        judge(certs, hs);
        pkixCheck(() -> pkix.checkServerTrusted(certs, authType, sslEngine));
        nameCheck(certs);
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
                n.protocol(), n.suite(), Optional.empty(), chain, sni);
        return engine.evaluate(o, ctx);
    }

    /** The protocol and suite negotiated so far, as far as known. */
    private record Negotiated(Optional<TlsVersion> protocol, Optional<String> suite) {
        static Negotiated of(SSLSession hs) {
            if (hs == null) {
                return new Negotiated(Optional.empty(), Optional.empty());
            }
            Optional<TlsVersion> protocol;
            try {
                protocol = Optional.of(TlsVersion.forJavaName(hs.getProtocol()));
            } catch (RuntimeException e) {
                protocol = Optional.empty();
            }
            return new Negotiated(protocol, Optional.ofNullable(hs.getCipherSuite()).filter(s -> !s.startsWith("SSL_NULL")));
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
        Negotiated n = new Negotiated(protocol, suite);
        if (certs.length == 0) {
            rejection = "the resumed session has no server certificate to judge";
            throw new CertificateException(rejection);
        }
        if (authentication instanceof ChainAuthentication.Dane dane) {
            daneCheck(certs, n, dane);
            return;
        }
        judge(certs, n);
        // no handshake in progress: PKIX without a socket, with the JDK's default algorithm constraints
        pkixCheck(() -> pkix.checkServerTrusted(certs, "UNKNOWN"));
        nameCheck(certs);
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
                add(new Finding(FindingCode.UNKNOWN_ISSUER, Severity.FAIL, endpoint + " certificate #0",
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
                add(new Finding(FindingCode.BAD_CERT_DOMAIN, Severity.FAIL, endpoint + " certificate #0",
                        "reference name " + referenceName, "RFC 6125 §6.4",
                        "Get a certificate whose subjectAltName contains " + referenceName + "."));
            }
            throw new CertificateException(rejection);
        }
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

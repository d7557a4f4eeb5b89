package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.tls.HostnameMatcher;
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
import java.util.List;
import java.util.Optional;

/**
 * The relay's trust decision for one outgoing handshake. It never accepts a chain it has not verified:
 * <ol>
 *   <li>it records the chain the server sent;</li>
 *   <li>it lets the {@link PolicyEngine} judge the session as negotiated so far (protocol, suite, chain,
 *       names) and keeps the findings, so that a refusal can be NAMED (EXPIRED_CERTIFICATE, WEAK_KEY, ...);
 *       with {@code refuseOnPolicyFail} any FAIL finding rejects the chain;</li>
 *   <li>it runs the JDK's PKIX validation against the configured anchors (with the JDK's own algorithm
 *       constraints), and requires the leaf to name the reference identifier (RFC 6125).</li>
 * </ol>
 * Any failure throws {@link CertificateException}, so the handshake ends with an alert and nothing is sent.
 * JSSE's own endpoint identification is off because step 3 does it here, with a finding instead of a bare
 * exception. One instance per handshake; the recorded results are read after the handshake.
 */
final class JudgingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final PolicyEngine engine;
    private final PolicyContext ctx;
    private final String referenceName;
    private final String endpoint;
    private final Optional<String> sni;
    private final boolean refuseOnPolicyFail;

    private volatile List<X509Certificate> chain = List.of();
    private volatile List<Finding> findings = List.of();
    private volatile String rejection;

    JudgingTrustManager(X509ExtendedTrustManager pkix, PolicyEngine engine, PolicyContext ctx, String referenceName,
                        String endpoint, Optional<String> sni, boolean refuseOnPolicyFail) {
        this.pkix = pkix;
        this.engine = engine;
        this.ctx = ctx;
        this.referenceName = referenceName;
        this.endpoint = endpoint;
        this.sni = sni;
        this.refuseOnPolicyFail = refuseOnPolicyFail;
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
        SSLSession hs = socket instanceof SSLSocket s ? s.getHandshakeSession() : null;
        judge(certs, hs);
        pkixCheck(() -> pkix.checkServerTrusted(certs, authType, socket));
        nameCheck(certs);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine sslEngine) throws CertificateException {
        judge(certs, sslEngine == null ? null : sslEngine.getHandshakeSession());
        pkixCheck(() -> pkix.checkServerTrusted(certs, authType, sslEngine));
        nameCheck(certs);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("the relay verifies servers only within a TLS handshake (socket or engine)");
    }

    private void judge(X509Certificate[] certs, SSLSession hs) throws CertificateException {
        chain = certs == null ? List.of() : List.of(certs);
        Optional<TlsVersion> protocol = Optional.empty();
        Optional<String> suite = Optional.empty();
        if (hs != null) {
            try {
                protocol = Optional.of(TlsVersion.forJavaName(hs.getProtocol()));
            } catch (RuntimeException e) {
                protocol = Optional.empty();
            }
            suite = Optional.ofNullable(hs.getCipherSuite()).filter(s -> !s.startsWith("SSL_NULL"));
        }
        SessionObservation o = new SessionObservation(referenceName, endpoint, StartTlsOutcome.established(), protocol,
                suite, Optional.empty(), chain, sni);
        findings = engine.evaluate(o, ctx);
        List<String> fails = findings.stream().filter(f -> f.severity() == Severity.FAIL)
                .map(f -> f.code().name()).distinct().toList();
        if (refuseOnPolicyFail && !fails.isEmpty()) {
            rejection = "the policy " + engine.policy().name() + " refuses this server: " + String.join(", ", fails);
            throw new CertificateException(rejection);
        }
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
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the relay's delivery side never accepts client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the relay's delivery side never accepts client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("the relay's delivery side never accepts client certificates");
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

package dev.doublelock.policy.transport;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.policy.dane.DaneResult;
import dev.doublelock.policy.dane.TlsaMatcher;
import dev.doublelock.tls.CertificateFacts;
import dev.doublelock.tls.HostnameMatcher;

/**
 * DANE authentication of one presented chain (RFC 7672 §3), and the one rule for what a match supersedes:
 * <ul>
 *   <li>DANE-EE(3) pins the leaf's key (or whole certificate): its issuer, names and validity dates are not
 *       checked (§3.1.1), nor its signature — the signature binds nothing the record has not already pinned — so
 *       UNKNOWN_ISSUER, BAD_CERT_DOMAIN, EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE and
 *       WEAK_SIGNATURE_ALGORITHM from the Web-PKI view do not count.</li>
 *   <li>DANE-TA(2) pins a trust anchor (§3.1.2): trust comes from the record, so UNKNOWN_ISSUER does not count;
 *       the chain up to the anchor must verify and be within its dates; the leaf must name the TLSA base domain,
 *       the MX host or the recipient domain (§3.2.2), so BAD_CERT_DOMAIN is judged against those names instead.</li>
 * </ul>
 * Everything else (protocol, suites, key exchange, key sizes) is the local policy's and still counts.
 */
final class DaneMatch {
    static final Set<FindingCode> SUPERSEDED_BY_EE = Set.of(FindingCode.UNKNOWN_ISSUER, FindingCode.BAD_CERT_DOMAIN,
            FindingCode.EXPIRED_CERTIFICATE, FindingCode.NOT_YET_VALID_CERTIFICATE, FindingCode.WEAK_SIGNATURE_ALGORITHM);
    static final Set<FindingCode> SUPERSEDED_BY_TA = Set.of(FindingCode.UNKNOWN_ISSUER, FindingCode.BAD_CERT_DOMAIN);

    /** The findings after matching, and the authentication achieved (empty if none). */
    record Outcome(List<Finding> findings, Optional<Authentication> authentication) {
    }

    private DaneMatch() {
    }

    static Outcome apply(ChainAuthentication.Dane dane, List<X509Certificate> chain, List<Finding> findings,
                         String endpoint, Instant now) {
        List<Finding> out = new ArrayList<>(findings);
        return switch (TlsaMatcher.match(dane.records(), chain)) {
            case DaneResult.Mismatch m -> {
                out.add(TransportRules.tlsaMismatch(endpoint + " certificate #0", m.usableRecords()
                        + " usable TLSA record(s) at " + dane.tlsaName() + ", none matches the " + m.certificates()
                        + " certificate(s) presented; leaf SHA-256 " + CertificateFacts.of(0, chain.getFirst()).sha256Fingerprint()));
                yield new Outcome(out, Optional.empty());
            }
            case DaneResult.NoUsableRecords n -> {
                out.add(TransportRules.tlsaUnusable(endpoint, "no usable TLSA record at " + dane.tlsaName()));
                yield new Outcome(out, Optional.empty());
            }
            case DaneResult.Matched m when !m.needsNameCheck() -> {
                out.removeIf(f -> SUPERSEDED_BY_EE.contains(f.code()));
                yield new Outcome(out, Optional.of(Authentication.DANE_EE));
            }
            case DaneResult.Matched m -> {
                out.removeIf(f -> SUPERSEDED_BY_TA.contains(f.code()));
                boolean ok = taChain(chain, m.certIndex(), dane, endpoint, now, out);
                if (dane.referenceNames().stream().noneMatch(n -> HostnameMatcher.matches(chain.getFirst(), n))) {
                    out.add(TransportRules.taNameMismatch(endpoint + " certificate #0", "the DANE-TA leaf names none of "
                            + dane.referenceNames(), dane.referenceNames().getFirst()));
                    ok = false;
                }
                yield new Outcome(out, ok ? Optional.of(Authentication.DANE_TA) : Optional.empty());
            }
        };
    }

    /** Each certificate below the matched anchor is issued and signed by the next, and within its dates. */
    private static boolean taChain(List<X509Certificate> chain, int anchor, ChainAuthentication.Dane dane,
                                   String endpoint, Instant now, List<Finding> out) {
        for (int i = 0; i < anchor; i++) {
            X509Certificate c = chain.get(i);
            try {
                if (!c.getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                    throw new GeneralSecurityException("certificate #" + i + " is not issued by certificate #" + (i + 1));
                }
                c.verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                out.add(TransportRules.taChainBroken(endpoint + " certificate #" + i, "the chain does not lead to the "
                        + "DANE-TA certificate matched at " + dane.tlsaName() + ": " + e.getMessage()));
                return false;
            }
            boolean expired = c.getNotAfter().toInstant().isBefore(now);
            boolean early = c.getNotBefore().toInstant().isAfter(now);
            FindingCode code = expired ? FindingCode.EXPIRED_CERTIFICATE : early ? FindingCode.NOT_YET_VALID_CERTIFICATE : null;
            if (code != null) {
                if (out.stream().noneMatch(f -> f.code() == code)) {
                    out.add(new Finding(code, dev.doublelock.finding.Severity.FAIL, endpoint + " certificate #" + i,
                            expired ? "notAfter " + c.getNotAfter().toInstant() : "notBefore " + c.getNotBefore().toInstant(),
                            dev.doublelock.policy.Rule.reference("rfc7672.ta-dates", "RFC 7672 §3.1.2"),
                            "Renew the server's certificate."));
                }
                return false;
            }
        }
        return true;
    }
}

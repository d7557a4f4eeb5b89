package dev.doublelock.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What the OCSP response a server stapled (RFC 6066 §8, CertificateStatus) says about its own certificate, read as
 * RFC 6960 §3.2 tells a client to check it. Facts only: whether it is still fresh is judged against the policy's clock.
 *
 * @param responseStatus what the responder answered (anything but SUCCESSFUL carries no certificate status)
 * @param certStatus     the status of the leaf, if the response has a SingleResponse for it
 * @param revocationTime when the leaf was revoked, for REVOKED
 * @param revocationReason the CRLReason (RFC 5280 §5.3.1), for REVOKED with a reason
 * @param thisUpdate     when the status was known to be correct (of the leaf's SingleResponse, else the first one)
 * @param nextUpdate     when newer information will be available; empty = the responder promises none
 * @param producedAt     when the responder signed the response
 * @param forLeaf        the response has a SingleResponse whose CertID is the leaf (serial number and, where the
 *                       issuer was sent, the issuer's name and key hashes)
 * @param signer         who signed it, as far as the sent certificates tell
 * @param detail         what was seen, in words (serials, the responder, the parse error)
 */
public record OcspStaple(ResponseStatus responseStatus, Optional<CertStatus> certStatus, Optional<Instant> revocationTime,
                         Optional<String> revocationReason, Optional<Instant> thisUpdate, Optional<Instant> nextUpdate,
                         Optional<Instant> producedAt, boolean forLeaf, Signer signer, String detail) {

    /** OCSPResponseStatus (RFC 6960 §4.2.1), and UNPARSEABLE for octets that are no OCSP response. */
    public enum ResponseStatus { SUCCESSFUL, MALFORMED_REQUEST, INTERNAL_ERROR, TRY_LATER, SIG_REQUIRED, UNAUTHORIZED, UNPARSEABLE }

    /** CertStatus (RFC 6960 §2.2). */
    public enum CertStatus { GOOD, REVOKED, UNKNOWN }

    /** Who signed the response (RFC 6960 §4.2.2.2). */
    public enum Signer {
        /** The CA that issued the leaf. */
        ISSUER,
        /** A responder certificate in the response, issued by the leaf's CA with id-kp-OCSPSigning. */
        DELEGATED_RESPONDER,
        /** The signature verifies with a certificate in the response that the leaf's CA did not authorize. */
        NOT_AUTHORIZED,
        /** Neither the issuer's key nor any certificate in the response verifies the signature. */
        BAD_SIGNATURE,
        /** The leaf's issuer was not among the sent certificates, so the signer cannot be checked. */
        ISSUER_NOT_SENT,
        /** No signed response (not SUCCESSFUL, or unparseable). */
        NONE
    }

    private static final String[] REASONS = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
            "superseded", "cessationOfOperation", "certificateHold", "7", "removeFromCRL", "privilegeWithdrawn", "aACompromise"};

    public OcspStaple {
        Objects.requireNonNull(responseStatus, "responseStatus");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(detail, "detail");
    }

    /** Reads a stapled response (DER OCSPResponse) about {@code chain}'s leaf (the chain as the server sent it). Never throws. */
    public static OcspStaple read(byte[] der, List<X509Certificate> chain) {
        OCSPResp resp;
        try {
            resp = new OCSPResp(der);
        } catch (IOException | RuntimeException e) {
            return unparseable("not an OCSP response (" + e.getMessage() + ")");
        }
        ResponseStatus status = switch (resp.getStatus()) {
            case OCSPResp.SUCCESSFUL -> ResponseStatus.SUCCESSFUL;
            case OCSPResp.MALFORMED_REQUEST -> ResponseStatus.MALFORMED_REQUEST;
            case OCSPResp.INTERNAL_ERROR -> ResponseStatus.INTERNAL_ERROR;
            case OCSPResp.TRY_LATER -> ResponseStatus.TRY_LATER;
            case OCSPResp.SIG_REQUIRED -> ResponseStatus.SIG_REQUIRED;
            case OCSPResp.UNAUTHORIZED -> ResponseStatus.UNAUTHORIZED;
            default -> ResponseStatus.UNPARSEABLE;
        };
        if (status != ResponseStatus.SUCCESSFUL) {
            return new OcspStaple(status, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), false, Signer.NONE, "response status " + resp.getStatus() + " (" + status + ")");
        }
        try {
            if (!(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
                return unparseable("a successful response without a basic OCSP response");
            }
            return basic(basic, chain);
        } catch (Exception e) {
            return unparseable("unreadable basic OCSP response (" + e + ")");
        }
    }

    private static OcspStaple basic(BasicOCSPResp basic, List<X509Certificate> chain) throws Exception {
        if (chain.isEmpty()) return unparseable("a stapled response but no certificate to relate it to");
        X509Certificate leaf = chain.getFirst();
        Optional<X509Certificate> issuer = chain.stream().skip(1)
                .filter(c -> c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())).findFirst();
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        SingleResp[] singles = basic.getResponses();
        SingleResp mine = null;
        for (SingleResp s : singles) {
            boolean serial = s.getCertID().getSerialNumber().equals(leaf.getSerialNumber());
            boolean issuerMatches = issuer.isEmpty() || s.getCertID().matchesIssuer(new JcaX509CertificateHolder(issuer.get()), digests);
            if (serial && issuerMatches) {
                mine = s;
                break;
            }
        }
        SingleResp shown = mine != null ? mine : singles.length > 0 ? singles[0] : null;
        Signer signer = signer(basic, issuer);
        StringBuilder detail = new StringBuilder();
        if (mine == null) {
            detail.append(singles.length == 0 ? "no SingleResponse" : "about serial " + hex(singles[0].getCertID().getSerialNumber())
                    + (singles[0].getCertID().getSerialNumber().equals(leaf.getSerialNumber()) ? " of another issuer" : ""))
                    .append(", not the leaf's serial ").append(hex(leaf.getSerialNumber()));
        } else {
            detail.append("about the leaf, serial ").append(hex(leaf.getSerialNumber()));
        }
        detail.append("; signed by ").append(switch (signer) {
            case ISSUER -> "the issuing CA";
            case DELEGATED_RESPONDER -> "a responder the issuing CA authorized";
            case NOT_AUTHORIZED -> "a certificate the issuing CA did not authorize for OCSP";
            case BAD_SIGNATURE -> "a key that does not verify (neither the issuer nor a responder in the response)";
            case ISSUER_NOT_SENT -> "? (the issuer certificate was not sent)";
            case NONE -> "nobody";
        });
        Optional<CertStatus> certStatus = Optional.empty();
        Optional<Instant> revoked = Optional.empty();
        Optional<String> reason = Optional.empty();
        if (mine != null) {
            CertificateStatus s = mine.getCertStatus();
            if (s == CertificateStatus.GOOD) {
                certStatus = Optional.of(CertStatus.GOOD);
            } else if (s instanceof RevokedStatus r) {
                certStatus = Optional.of(CertStatus.REVOKED);
                revoked = Optional.of(r.getRevocationTime().toInstant());
                if (r.hasRevocationReason()) {
                    int n = r.getRevocationReason();
                    reason = Optional.of(n >= 0 && n < REASONS.length ? REASONS[n] : String.valueOf(n));
                }
            } else if (s instanceof UnknownStatus) {
                certStatus = Optional.of(CertStatus.UNKNOWN);
            }
        }
        return new OcspStaple(ResponseStatus.SUCCESSFUL, certStatus, revoked, reason,
                Optional.ofNullable(shown).map(x -> x.getThisUpdate().toInstant()),
                Optional.ofNullable(shown).map(SingleResp::getNextUpdate).map(java.util.Date::toInstant),
                Optional.ofNullable(basic.getProducedAt()).map(java.util.Date::toInstant), mine != null, signer, detail.toString());
    }

    private static Signer signer(BasicOCSPResp basic, Optional<X509Certificate> issuer) {
        X509CertificateHolder[] responders = basic.getCerts();
        if (issuer.isEmpty()) return Signer.ISSUER_NOT_SENT;
        if (verifies(basic, issuer.get().getPublicKey())) return Signer.ISSUER;
        boolean someoneElse = false;
        for (X509CertificateHolder r : responders) {
            try {
                X509Certificate responder = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(r);
                if (!verifies(basic, responder.getPublicKey())) continue;
                someoneElse = true;
                boolean issuedByCa = responder.getIssuerX500Principal().equals(issuer.get().getSubjectX500Principal())
                        && signedBy(responder, issuer.get());
                List<String> eku = responder.getExtendedKeyUsage();
                if (issuedByCa && eku != null && eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) return Signer.DELEGATED_RESPONDER;
            } catch (Exception e) {
                // an unreadable responder certificate authorizes nothing
            }
        }
        return someoneElse ? Signer.NOT_AUTHORIZED : Signer.BAD_SIGNATURE;
    }

    private static boolean verifies(BasicOCSPResp basic, java.security.PublicKey key) {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String hex(BigInteger serial) {
        return HexFormat.of().formatHex(serial.toByteArray());
    }

    private static OcspStaple unparseable(String why) {
        return new OcspStaple(ResponseStatus.UNPARSEABLE, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false, Signer.NONE, why);
    }

    /** True if the responder's signature is the CA's or a responder's it authorized (RFC 6960 §4.2.2.2). */
    public boolean signatureTrusted() {
        return signer == Signer.ISSUER || signer == Signer.DELEGATED_RESPONDER;
    }

    /** "good, thisUpdate …, nextUpdate …" for reports. */
    public String summary() {
        if (responseStatus != ResponseStatus.SUCCESSFUL) return responseStatus.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        StringBuilder s = new StringBuilder(certStatus.map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).orElse("no status for the leaf"));
        revocationTime.ifPresent(t -> s.append(" at ").append(t));
        revocationReason.ifPresent(r -> s.append(" (").append(r).append(')'));
        thisUpdate.ifPresent(t -> s.append(", thisUpdate ").append(t));
        s.append(", nextUpdate ").append(nextUpdate.map(Instant::toString).orElse("none"));
        s.append(", signer ").append(signer.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        return s.toString();
    }
}

package dev.doublelock.finding;

import java.util.Optional;

/**
 * Stable finding codes. These are public API (JSON output, scripts, the lab's expectations):
 * never rename one, only add. Certificate codes reuse the names browsers show; {@link #tlsRptResult()}
 * is the RFC 8460 result type a TLS report would use for it.
 */
public enum FindingCode {
    UNKNOWN_ISSUER("certificate-not-trusted"),
    EXPIRED_CERTIFICATE("certificate-expired"),
    NOT_YET_VALID_CERTIFICATE("certificate-not-trusted"),
    BAD_CERT_DOMAIN("certificate-host-mismatch"),
    WEAK_SIGNATURE_ALGORITHM("validation-failure"),
    WEAK_KEY("validation-failure"),
    NO_STARTTLS("starttls-not-supported"),
    STARTTLS_FAILED("validation-failure"),
    PROTOCOL_NOT_RECOMMENDED("validation-failure"),
    NO_RECOMMENDED_PROTOCOL("validation-failure"),
    CIPHER_NOT_RECOMMENDED("validation-failure"),
    WEAK_KEY_EXCHANGE("validation-failure"),
    NO_SECURE_RENEGOTIATION("validation-failure"),
    DANE_TLSA_MISMATCH("tlsa-invalid"),
    DNSSEC_BOGUS("dnssec-invalid"),
    MTA_STS_INVALID("sts-policy-invalid"),
    /** RFC 8460 has no type for it: validation-failure, as Stalwart reports it (sts-webpki-invalid is the policy host's own certificate). */
    MX_NOT_IN_STS_POLICY("validation-failure"),
    NO_DANE(null),
    NO_MTA_STS(null),
    NO_TLSRPT(null),
    NO_CERTIFICATE("certificate-not-trusted"),
    UNREACHABLE(null),
    /** SSL 2.0 accepted (DROWN). */
    SSL2_ACCEPTED("validation-failure"),
    /** No TLS_FALLBACK_SCSV protection (RFC 7507). */
    NO_FALLBACK_SCSV("validation-failure"),
    /** The server renegotiates when the client asks. */
    CLIENT_RENEGOTIATION("validation-failure"),
    /** CVE-2014-0160. */
    HEARTBLEED("validation-failure"),
    /** CVE-2014-0224. */
    CCS_INJECTION("validation-failure"),
    /** Plaintext pipelined after STARTTLS is executed inside TLS (CVE-2011-0411 class). */
    STARTTLS_INJECTION("validation-failure"),
    /** TLS compression accepted (CRIME). */
    TLS_COMPRESSION("validation-failure"),
    /** The heartbeat extension (RFC 6520) is offered. */
    HEARTBEAT_EXTENSION("validation-failure"),
    /** The server's certificate may not be used for a TLS server (keyUsage / extendedKeyUsage, RFC 5280). */
    KEY_USAGE_MISMATCH("certificate-not-trusted"),
    /** A Bleichenbacher padding oracle in the RSA key exchange (ROBOT). */
    ROBOT("validation-failure"),
    /** The server's certificate names neither a CRL nor an OCSP responder (RFC 5280 §4.2.1.13, §4.2.2.1). */
    NO_REVOCATION_INFO("certificate-not-trusted"),
    /** The server's stapled OCSP response says its certificate is revoked (RFC 6960). */
    CERTIFICATE_REVOKED("certificate-not-trusted"),
    /** The server staples an OCSP response a client must discard: stale, not for this certificate, badly signed. */
    OCSP_STAPLE_INVALID("validation-failure"),
    /** CVE-2016-9244: the server echoes session IDs sent with a ticket padded with its memory. */
    TICKETBLEED("validation-failure");

    private final String tlsRptResult;

    FindingCode(String tlsRptResult) {
        this.tlsRptResult = tlsRptResult;
    }

    /** The RFC 8460 result-type for this code, if TLS reporting defines one. */
    public Optional<String> tlsRptResult() {
        return Optional.ofNullable(tlsRptResult);
    }
}

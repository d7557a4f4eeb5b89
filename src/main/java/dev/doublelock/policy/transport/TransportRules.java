package dev.doublelock.policy.transport;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Rule;

/**
 * The findings the transport decision makes itself, from the RFCs every policy shares (DNSSEC, DANE, MTA-STS,
 * REQUIRETLS) rather than from a policy file. Each carries a rule in the one format of {@link Rule#reference}.
 * These are the recipient domain's (or the message's) own demands: a local report-only policy never caps them.
 * Public for the two that callers need before any requirement exists: a bogus MX RRset, and what could not be
 * looked up.
 */
public final class TransportRules {
    private TransportRules() {
    }

    /** DNSSEC validation failed: a sender must not deliver, and must not fall back (RFC 7672 §2.1.1, RFC 4035 §5.5). */
    public static Finding dnssecBogus(String subject, String evidence) {
        return new Finding(FindingCode.DNSSEC_BOGUS, Severity.FAIL, subject, evidence,
                Rule.reference("rfc7672.dnssec-bogus", "RFC 7672 §2.1.1"),
                "DNSSEC validation failed, so DANE senders will not deliver (and must not fall back). Re-sign the zone, "
                        + "check the DS record at the parent and the RRSIG expiry dates (e.g. with dnsviz.net).");
    }

    /** DNSSEC-valid TLSA records exist and none matches the chain (RFC 7672 §2.2, §3). */
    static Finding tlsaMismatch(String subject, String evidence) {
        return new Finding(FindingCode.DANE_TLSA_MISMATCH, Severity.FAIL, subject, evidence,
                Rule.reference("rfc7672.tlsa-mismatch", "RFC 7672 §2.2"),
                "None of the TLSA records matches the certificate this server presents, so DANE senders will not deliver. "
                        + "Publish a TLSA record for the current key (3 1 1 = SHA-256 of the public key) before changing "
                        + "certificates, and remove stale ones.");
    }

    /** DNSSEC-valid TLSA records, none usable for SMTP: TLS is still mandatory (RFC 7672 §2.2). */
    static Finding tlsaUnusable(String subject, String evidence) {
        return new Finding(FindingCode.DANE_TLSA_MISMATCH, Severity.WARN, subject, evidence,
                Rule.reference("rfc7672.tlsa-unusable", "RFC 7672 §2.2, §3.1.3"),
                "Publish DANE-EE(3) or DANE-TA(2) records, e.g. \"3 1 1\" with the SHA-256 of the server's public key; "
                        + "PKIX-TA(0)/PKIX-EE(1) records are not used for SMTP.");
    }

    /** A DANE-TA(2) chain that does not lead to the matched trust anchor (RFC 7672 §3.1.2). */
    static Finding taChainBroken(String subject, String evidence) {
        return new Finding(FindingCode.DANE_TLSA_MISMATCH, Severity.FAIL, subject, evidence,
                Rule.reference("rfc7672.ta-chain", "RFC 7672 §3.1.2"),
                "Send the full chain up to the certificate the DANE-TA record names.");
    }

    /** A DANE-TA(2) leaf that names neither the TLSA base domain, the MX host nor the domain (RFC 7672 §3.2.2). */
    static Finding taNameMismatch(String subject, String evidence, String mxHost) {
        return new Finding(FindingCode.BAD_CERT_DOMAIN, Severity.FAIL, subject, evidence,
                Rule.reference("rfc7672.ta-name", "RFC 7672 §3.2.2"),
                "Get a certificate whose subjectAltName contains the MX host name " + mxHost + ".");
    }

    /** The MX host is not allowed by the domain's MTA-STS policy (RFC 8461 §4.1). */
    static Finding mxNotInSts(String subject, String evidence, boolean enforce, String domain) {
        return new Finding(FindingCode.MX_NOT_IN_STS_POLICY, enforce ? Severity.FAIL : Severity.WARN, subject, evidence,
                Rule.reference("rfc8461.mx-match", "RFC 8461 §4.1"), "The MTA-STS policy of " + domain
                + " does not list this MX host, so senders "
                + (enforce ? "will not deliver to it" : "will report failures (testing mode)")
                + ". Add an 'mx:' line for it to the policy and change the id in the _mta-sts TXT record.");
    }

    /** An MTA-STS record or policy that senders cannot use (RFC 8461 §3). */
    static Finding stsInvalid(String subject, String evidence, String domain) {
        return new Finding(FindingCode.MTA_STS_INVALID, Severity.WARN, subject, evidence,
                Rule.reference("rfc8461.policy", "RFC 8461 §3.3"),
                "Senders ignore an MTA-STS policy they cannot fetch or parse, so it protects nothing. Serve "
                        + "https://mta-sts." + domain + "/.well-known/mta-sts.txt as text/plain with a valid certificate, "
                        + "without redirects, or remove the _mta-sts TXT record.");
    }

    /** A finding the local policy made, raised to FAIL because the domain's mechanism demands it. */
    static Finding raised(Finding f, Mechanism m) {
        String source = switch (m) {
            case DANE -> "RFC 7672 §2.2";
            case MTA_STS -> "RFC 8461 §4.2";
            case REQUIRETLS -> "RFC 8689 §4.2";
            case LOCAL_POLICY -> throw new IllegalArgumentException("the local policy raises nothing");
        };
        return new Finding(f.code(), Severity.FAIL, f.subject(), f.evidence(),
                Rule.reference(m.token() + ".mandatory", source), f.message());
    }

    /** Something could not be checked: the report is incomplete, never non-compliant. */
    public static Finding unreachable(String subject, String evidence, String fix) {
        return new Finding(FindingCode.UNREACHABLE, Severity.INFO, subject, evidence,
                Rule.reference("doublelock.incomplete", "doublelock: what could not be checked is reported, never judged"),
                fix);
    }
}

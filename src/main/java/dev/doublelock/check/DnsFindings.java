package dev.doublelock.check;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policy;

/**
 * Findings about what DNS publishes (DNSSEC, DANE, MTA-STS) and about what could not be checked. The policy
 * engine judges servers; these rules come straight from the RFCs every policy shares, so they live here. Under
 * a report-only policy (opportunistic) nothing is a FAIL.
 */
final class DnsFindings {
    private final Policy policy;

    DnsFindings(Policy policy) {
        this.policy = policy;
    }

    /** DNSSEC validation failed: a sender must not deliver (RFC 7672 §2.1.1, RFC 4035 §5.5). */
    Finding bogus(String subject, String evidence) {
        return make(FindingCode.DNSSEC_BOGUS, Severity.FAIL, subject, evidence, "rfc7672 §2.1.1",
                "DNSSEC validation failed, so DANE senders will not deliver (and must not fall back). Re-sign the zone, "
                        + "check the DS record at the parent and the RRSIG expiry dates (e.g. with dnsviz.net).");
    }

    /** Usable TLSA records exist and none matches the chain (RFC 7672 §2.2). */
    Finding tlsaMismatch(String subject, String evidence) {
        return make(FindingCode.DANE_TLSA_MISMATCH, Severity.FAIL, subject, evidence, "rfc7672 §2.2",
                "None of the TLSA records matches the certificate this server presents, so DANE senders will not deliver. "
                        + "Publish a TLSA record for the current key (3 1 1 = SHA-256 of the public key) before changing "
                        + "certificates, and remove stale ones.");
    }

    /** The MX host is not allowed by the domain's MTA-STS policy (RFC 8461 §4.1). */
    Finding mxNotInSts(String subject, String evidence, boolean enforce) {
        return make(FindingCode.MX_NOT_IN_STS_POLICY, enforce ? Severity.FAIL : Severity.WARN, subject, evidence,
                "rfc8461 §4.1", "The MTA-STS policy does not list this MX host, so senders "
                        + (enforce ? "will not deliver to it" : "will report failures (testing mode)")
                        + ". Add an 'mx:' line for it to the policy and change the id in the _mta-sts TXT record.");
    }

    /** An MTA-STS record or policy that senders cannot use (RFC 8461 §3). */
    Finding stsInvalid(String subject, String evidence) {
        return make(FindingCode.MTA_STS_INVALID, Severity.WARN, subject, evidence, "rfc8461 §3",
                "Senders ignore an MTA-STS policy they cannot fetch or parse, so it protects nothing. Serve "
                        + "https://mta-sts.DOMAIN/.well-known/mta-sts.txt as text/plain with a valid certificate, without redirects.");
    }

    /** Something could not be checked: makes the report incomplete, never non-compliant. */
    Finding unreachable(String subject, String evidence, String fix) {
        return new Finding(FindingCode.UNREACHABLE, Severity.INFO, subject, evidence, "doublelock", fix);
    }

    private Finding make(FindingCode code, Severity severity, String subject, String evidence, String rule, String fix) {
        Severity s = policy.mode() == Policy.Mode.REPORT_ONLY && severity == Severity.FAIL ? Severity.WARN : severity;
        return new Finding(code, s, subject, evidence, rule, fix);
    }
}

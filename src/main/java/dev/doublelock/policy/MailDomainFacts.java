package dev.doublelock.policy;

import java.util.Optional;

/**
 * What is known about a recipient domain's DNS-side protections (from the dns / policy.dane / policy.mtasts
 * packages). Empty means "not determined": the engine then reports nothing about it (never a FAIL).
 *
 * @param domain          the mail domain
 * @param dnssecValid     the MX RRset validated as DNSSEC-secure (false = insecure/unsigned)
 * @param daneTlsaPresent DNSSEC-secure, usable TLSA records exist for the MX host(s)
 * @param mtaStsMode      "enforce", "testing", "none"; empty if none published or unknown
 * @param tlsRptPresent   a TLS-RPT record exists
 */
public record MailDomainFacts(String domain, Optional<Boolean> dnssecValid, Optional<Boolean> daneTlsaPresent,
                              Optional<String> mtaStsMode, Optional<Boolean> tlsRptPresent) {

    public static MailDomainFacts unknown(String domain) {
        return new MailDomainFacts(domain, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}

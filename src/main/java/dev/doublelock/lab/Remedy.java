package dev.doublelock.lab;

import dev.doublelock.finding.FindingCode;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a postmaster changes in a sending MTA so that it stops delivering to a kind of defective endpoint, in the
 * words of the common MTAs' own settings. Derived from the findings a profile carries (and from the verdict:
 * a plaintext fallback needs "require TLS", whatever the endpoint's defect). Settings marked as measured were
 * seen in this project's interop tests (docs: README "What real Postfix does", notes on Exim, OpenSMTPD, msmtp);
 * the others are the MTAs' documented options.
 */
public enum Remedy {
    REQUIRE_TLS("Require TLS: never deliver in plaintext after a failed or refused STARTTLS", List.of(
            new Setting("Postfix", "smtp_tls_security_level = encrypt (better: verify or secure; never may), per destination in smtp_tls_policy_maps"),
            new Setting("Exim", "hosts_require_tls = * on the smtp transport (else tls_tempfail_tryclear retries in clear)"),
            new Setting("OpenSMTPD", "action \"outbound\" relay tls (refuses to relay without STARTTLS)"),
            new Setting("msmtp", "tls on and tls_starttls on"))),
    VERIFY_CERTIFICATES("Verify the certificate chain and the host name", List.of(
            new Setting("Postfix", "smtp_tls_security_level = secure (or verify) with smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt"),
            new Setting("Exim", "tls_verify_hosts = * and tls_verify_certificates = /etc/ssl/certs/ca-certificates.crt on the smtp transport, with hosts_require_tls = *"),
            new Setting("OpenSMTPD", "relay tls verifies unless no-verify is given (5.x syntax: relay tls verify)"),
            new Setting("msmtp", "tls_trust_file /etc/ssl/certs/ca-certificates.crt (or system); never tls_certcheck off"))),
    MODERN_PROTOCOLS("Accept TLS 1.2 and 1.3 only", List.of(
            new Setting("Postfix", "smtp_tls_mandatory_protocols = >=TLSv1.2 (applies from level encrypt up)"),
            new Setting("Exim", "tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2 (GnuTLS, as Debian builds it)"),
            new Setting("OpenSMTPD", "nothing to set: 6.8 refused the TLS 1.0 and 1.1 endpoints with relay tls (measured)"),
            new Setting("msmtp", "tls_priorities NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"))),
    STRONG_CIPHERS("Accept only forward-secret suites without SHA-1 MACs (no static RSA, no CBC-SHA1)", List.of(
            new Setting("Postfix", "smtp_tls_mandatory_ciphers = high and smtp_tls_mandatory_exclude_ciphers = kRSA, SHA1 (even secure delivers to static RSA, measured)"),
            new Setting("Exim", "append :-RSA:-SHA1 to the GnuTLS tls_require_ciphers string"),
            new Setting("OpenSMTPD", "no client-side setting: 6.8 delivered to static-RSA with relay tls (measured)"),
            new Setting("msmtp", "append :-RSA:-SHA1 to tls_priorities"))),
    STRONG_KEYS("Refuse RSA and Diffie-Hellman keys under 2048 bits", List.of(
            new Setting("Postfix", "smtp_tls_mandatory_ciphers = high with tls_high_cipherlist = HIGH:!aNULL:!kRSA:@SECLEVEL=2 (OpenSSL security level 2; secure alone delivers to RSA-1024 and DH-1024, measured)"),
            new Setting("Exim", "add %PROFILE_MEDIUM to the GnuTLS tls_require_ciphers string (2048-bit minimum)"),
            new Setting("OpenSMTPD", "no client-side setting: 6.8 delivered to RSA-1024 and SHA-1 with relay tls (measured)"),
            new Setting("msmtp", "add %PROFILE_MEDIUM to tls_priorities"))),
    USE_DANE("Look up TLSA records through a validating resolver and obey them (DANE, RFC 7672): defer when they do not match or cannot be validated", List.of(
            new Setting("Postfix", "smtp_dns_support_level = dnssec and smtp_tls_security_level = dane, with a local validating resolver in resolv.conf (options trust-ad on glibc 2.31+) (measured)"),
            new Setting("Exim", "dnssec_request_domains = * and hosts_try_dane = * on the smtp transport, with a local validating resolver"),
            new Setting("OpenSMTPD", "no DANE support: relay through an MTA that has it"),
            new Setting("msmtp", "no DANE support: submit to an MTA that has it")));

    /** One MTA's setting for a remedy. */
    public record Setting(String mta, String setting) {
    }

    private final String goal;
    private final List<Setting> settings;

    Remedy(String goal, List<Setting> settings) {
        this.goal = goal;
        this.settings = settings;
    }

    /** The goal in plain words, e.g. "Accept TLS 1.2 and 1.3 only". */
    public String goal() {
        return goal;
    }

    public List<Setting> settings() {
        return settings;
    }

    /** What a sender that got {@code verdict} from {@code profile} must change; empty if it did nothing wrong. */
    public static Set<Remedy> forFailure(LabProfile profile, Verdict verdict) {
        Set<Remedy> out = EnumSet.noneOf(Remedy.class);
        if (verdict == Verdict.PLAINTEXT_FALLBACK || verdict == Verdict.NO_TLS_DELIVERED) {
            out.add(REQUIRE_TLS);
            return out;
        }
        if (verdict == Verdict.DELIVERED_DESPITE_DANE) {
            out.add(USE_DANE);
            return out;
        }
        if (verdict != Verdict.DELIVERED_INSECURELY) return out;
        for (FindingCode code : profile.expectedFindings()) {
            switch (code) {
                case UNKNOWN_ISSUER, EXPIRED_CERTIFICATE, NOT_YET_VALID_CERTIFICATE, BAD_CERT_DOMAIN,
                     WEAK_SIGNATURE_ALGORITHM, NO_CERTIFICATE -> out.add(VERIFY_CERTIFICATES);
                case PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL -> out.add(MODERN_PROTOCOLS);
                case CIPHER_NOT_RECOMMENDED -> out.add(STRONG_CIPHERS);
                case WEAK_KEY, WEAK_KEY_EXCHANGE -> out.add(STRONG_KEYS);
                case NO_STARTTLS, STARTTLS_FAILED -> out.add(REQUIRE_TLS);
                default -> {
                    // domain-level codes (DANE, MTA-STS, ...) are not lab profile defects
                }
            }
        }
        return out;
    }
}

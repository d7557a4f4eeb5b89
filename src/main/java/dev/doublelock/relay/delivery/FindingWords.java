package dev.doublelock.relay.delivery;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;

/**
 * One finding as a sentence for a person who sent an e-mail and got it back: what is wrong with the
 * receiving server, in plain words, then the evidence and the policy's advice ({@link Finding#message()}).
 * {@link #of(String)} gives the same words for a bare code, for the operator's summaries.
 */
public final class FindingWords {
    private FindingWords() {
    }

    static String sentence(Finding f) {
        StringBuilder sb = new StringBuilder(lead(f));
        if (!f.evidence().isBlank()) {
            sb.append(" (").append(f.evidence()).append(')');
        }
        sb.append('.');
        if (!f.message().isBlank()) {
            sb.append(" What the receiving side must fix: ").append(f.message());
        }
        return sb.toString();
    }

    /** What is wrong in plain words and the finding code, e.g. "… certificate expired on 2024-01-02 [EXPIRED_CERTIFICATE]". */
    static String lead(Finding f) {
        return phrase(f.code(), f.evidence()) + " [" + f.code() + "]";
    }

    /**
     * What a finding code means in plain words, without evidence, e.g. "the receiving server's certificate expired"
     * for {@code EXPIRED_CERTIFICATE}; a text that is no finding code is named as such.
     */
    public static String of(String code) {
        if (code == null || code.isEmpty()) {
            return "no finding was recorded";
        }
        try {
            return phrase(FindingCode.valueOf(code), "");
        } catch (IllegalArgumentException e) {
            return "a finding this doublelock does not know (" + code + ")";
        }
    }

    private static String phrase(FindingCode code, String evidence) {
        return switch (code) {
            case EXPIRED_CERTIFICATE -> "the receiving server's certificate expired" + date(evidence, "notAfter ");
            case NOT_YET_VALID_CERTIFICATE -> "the receiving server's certificate is not valid yet"
                    + date(evidence, "notBefore ").replace(" on ", " before ");
            case UNKNOWN_ISSUER -> "the receiving server's certificate is not issued by a trusted authority";
            case BAD_CERT_DOMAIN -> "the receiving server's certificate is made out for a different name";
            case WEAK_SIGNATURE_ALGORITHM -> "the receiving server's certificate is signed with an outdated, forgeable "
                    + "algorithm";
            case WEAK_KEY -> "the receiving server's key is too short to be safe";
            case NO_STARTTLS -> "the receiving server does not offer encryption (STARTTLS)";
            case STARTTLS_FAILED -> "the receiving server offers encryption (STARTTLS) but it does not work";
            case PROTOCOL_NOT_RECOMMENDED -> "the receiving server uses an outdated TLS version";
            case NO_RECOMMENDED_PROTOCOL -> "the receiving server supports neither TLS 1.2 nor TLS 1.3";
            case CIPHER_NOT_RECOMMENDED -> "the receiving server uses only encryption methods that are not recommended";
            case WEAK_KEY_EXCHANGE -> "the receiving server's key exchange is too weak";
            case NO_SECURE_RENEGOTIATION -> "the receiving server lacks secure renegotiation";
            case DANE_TLSA_MISMATCH -> "the receiving server's certificate does not match the domain's DANE records";
            case DNSSEC_BOGUS -> "the domain's DNSSEC signatures do not validate";
            case MTA_STS_INVALID -> "the domain's MTA-STS policy is invalid";
            case MX_NOT_IN_STS_POLICY -> "the receiving server is not listed in the domain's MTA-STS policy";
            case UNREACHABLE -> "the receiving domain's DNS records could not be looked up";
            case NO_CERTIFICATE -> "the receiving server presented no certificate";
            case KEY_USAGE_MISMATCH -> "the receiving server's certificate may not be used for a TLS server";
            default -> "the receiving server did not meet the policy (" + code + ")";
        };
    }

    /** " on 1970-01-02" from evidence such as "notAfter 1970-01-02T00:00:00Z", else "". */
    private static String date(String evidence, String prefix) {
        int i = evidence.indexOf(prefix);
        if (i < 0 || evidence.length() < i + prefix.length() + 10) {
            return "";
        }
        String d = evidence.substring(i + prefix.length(), i + prefix.length() + 10);
        return d.matches("\\d{4}-\\d{2}-\\d{2}") ? " on " + d : "";
    }
}

package dev.doublelock.policy.transport;

import java.util.List;

/**
 * The policy a TLS report (RFC 8460 §4.3) names for the sessions to one MX host.
 *
 * @param type          {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyStrings the policy as published: the TLSA records, or the MTA-STS policy's lines (§4.3.1)
 * @param policyDomain  the recipient domain
 * @param mxHost        the MX host the sessions went to
 */
public record ReportPolicy(Type type, List<String> policyStrings, String policyDomain, String mxHost) {
    public ReportPolicy {
        policyStrings = List.copyOf(policyStrings);
    }

    /** RFC 8460 §4.3 policy-type. */
    public enum Type {
        STS("sts"), TLSA("tlsa"), NO_POLICY_FOUND("no-policy-found");

        private final String token;

        Type(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }
}

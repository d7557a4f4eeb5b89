package dev.doublelock.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery session contributes to a TLS report (RFC 8460 §4.3, §4.4): the policy that applied to the MX
 * host, and whether a TLS session meeting it was established; for a failure, the result type and where.
 *
 * @param at            when the session ran (its UTC day is the report's)
 * @param policyType    {@code sts}, {@code tlsa} or {@code no-policy-found}
 * @param policyStrings the policy as published (TLSA records, MTA-STS policy lines); empty for no-policy-found
 * @param policyDomain  the recipient domain the report goes to
 * @param mxHost        the MX host the session went to
 * @param failure       empty for a successful session
 */
public record SessionResult(Instant at, String policyType, List<String> policyStrings, String policyDomain,
                            String mxHost, Optional<Failure> failure) {
    /** RFC 8460 §4.3 policy types. */
    public static final List<String> POLICY_TYPES = List.of("sts", "tlsa", "no-policy-found");

    /**
     * One failed session (RFC 8460 §4.4 failure details).
     *
     * @param resultType        e.g. {@code certificate-expired}, {@code starttls-not-supported} (§4.3.2)
     * @param sendingMtaIp      this relay's address on the connection, or {@code ""} if none was made
     * @param receivingMxHostname the MX host
     * @param receivingIp       the address it was reached at, or {@code ""}
     * @param failureReasonCode a short reason in words (optional in the RFC; we always give one)
     */
    public record Failure(String resultType, String sendingMtaIp, String receivingMxHostname, String receivingIp,
                          String failureReasonCode) {
        public Failure {
            Objects.requireNonNull(resultType, "resultType");
            sendingMtaIp = sendingMtaIp == null ? "" : sendingMtaIp;
            receivingMxHostname = receivingMxHostname == null ? "" : receivingMxHostname;
            receivingIp = receivingIp == null ? "" : receivingIp;
            failureReasonCode = failureReasonCode == null ? "" : failureReasonCode;
        }
    }

    public SessionResult {
        Objects.requireNonNull(at, "at");
        if (!POLICY_TYPES.contains(policyType)) {
            throw new IllegalArgumentException("policy type must be one of " + POLICY_TYPES + ": " + policyType);
        }
        policyStrings = List.copyOf(policyStrings);
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(failure, "failure");
    }

    public boolean successful() {
        return failure.isEmpty();
    }
}

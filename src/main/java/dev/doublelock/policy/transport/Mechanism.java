package dev.doublelock.policy.transport;

/**
 * What decides how one MX host is held: the local policy alone, or a mechanism that raises the bar above it.
 * Precedence: DANE (RFC 7672 §2.2) over MTA-STS (RFC 8461 §2, "senders that implement DANE ... SHOULD use DANE")
 * over the local policy; REQUIRETLS (RFC 8689) adds its own demand on top of whichever applies.
 */
public enum Mechanism {
    /** The local policy (policy map entry) decides alone. */
    LOCAL_POLICY("local"),
    /** DNSSEC-validated TLSA records of the MX host (RFC 7672). */
    DANE("dane"),
    /** The recipient domain's MTA-STS policy in mode enforce (RFC 8461). */
    MTA_STS("mta-sts"),
    /** The message carries REQUIRETLS (RFC 8689 §4). */
    REQUIRETLS("requiretls");

    private final String token;

    Mechanism(String token) {
        this.token = token;
    }

    /** The word used in logs, JSON and metrics. */
    public String token() {
        return token;
    }

    /** True for the mechanisms the recipient domain (or the sender's message) demands, not the local policy. */
    public boolean raisesTheBar() {
        return this != LOCAL_POLICY;
    }
}

package dev.doublelock.lab;

/**
 * What a careful sending system does with mail for a profile's domain: the column "a sender must" of the profile
 * table (docs/design.md "Lab profiles"). For the DANE scenarios it is what RFC 7672 requires.
 */
public enum SenderExpectation {
    /** Deliver over TLS: nothing is wrong (or DANE authenticates the server, RFC 7672 §3). */
    DELIVER("deliver"),
    /** Refuse the session: the defect is one a sender with a strict TLS policy refuses. */
    REFUSE("refuse"),
    /**
     * Do not deliver and keep the mail queued: DANE applies and fails (no TLSA record matches, or the name check of
     * DANE-TA fails), or cannot be decided (the TLSA lookup is bogus or fails; RFC 7672 §2.2: the MX host is unusable).
     */
    DEFER("defer"),
    /** Deliver under the sender's usual policy: there is no usable DANE (insecure zone, or securely no TLSA). */
    DELIVER_WITHOUT_DANE("deliver without DANE");

    private final String words;

    SenderExpectation(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    /** True when delivering is right. */
    public boolean delivers() {
        return this == DELIVER || this == DELIVER_WITHOUT_DANE;
    }
}

package dev.doublelock.lab;

/**
 * The DANE (RFC 7672) scenarios of the lab: each is a profile with its own mail domain and MX host in the lab zone,
 * whose TLSA records at {@code _<port>._tcp.<mx>} (the port the endpoint listens on, 25 when published) are made
 * wrong or right in one way ({@link LabZone} publishes them). A sender passes when it does what {@link #expectation()}
 * says; only a sender that looks up TLSA records through a validating resolver can pass all of them.
 */
public enum DaneScenario {
    /** TLSA 3 1 1 matching the self-signed leaf: DANE-EE authenticates it (PKIX-only senders refuse it). */
    EE_MATCHING(SenderExpectation.DELIVER, "TLSA 3 1 1 matches the self-signed leaf (DANE-EE)"),
    /** TLSA 2 1 1 matching the lab's issuing CA (the intermediate every chain carries); the leaf names the MX host. */
    TA_MATCHING(SenderExpectation.DELIVER, "TLSA 2 1 1 matches the lab's issuing CA, the leaf names the MX host (DANE-TA)"),
    /** TLSA 3 1 1 that matches no key the server has; the leaf is a good lab leaf for the MX host. */
    NOT_MATCHING(SenderExpectation.DEFER, "TLSA 3 1 1 matches no certificate the server sends"),
    /** The TLSA RRset's RRSIG does not verify (bogus); the record itself would match. */
    BROKEN_RRSIG(SenderExpectation.DEFER, "the TLSA record's RRSIG is corrupted (bogus)"),
    /** The lab's server answers the TLSA question SERVFAIL. */
    SERVFAIL(SenderExpectation.DEFER, "the TLSA question is answered SERVFAIL"),
    /**
     * The domain is a child zone delegated without DS (insecure); its TLSA record matches nothing, so a sender that
     * uses an unvalidated TLSA record refuses where it should deliver.
     */
    INSECURE_ZONE(SenderExpectation.DELIVER_WITHOUT_DANE, "TLSA in an unsigned child zone (insecure, no DS): it matches nothing and must be ignored"),
    /** Signed, and no TLSA record (NODATA with its NSEC proof). */
    NO_TLSA(SenderExpectation.DELIVER_WITHOUT_DANE, "signed, no TLSA record (NODATA, proven by NSEC)"),
    /** TLSA 2 1 1 matching the lab's issuing CA, but the leaf names abc.xy: DANE-TA needs the name check (§3.2.2). */
    TA_WRONG_NAME(SenderExpectation.DEFER, "TLSA 2 1 1 matches the issuing CA, but the leaf names neither the MX host nor the domain (DANE-TA checks names)"),
    /** The TLSA RRset's RRSIG expired a week ago (bogus); the record itself would match. */
    EXPIRED_RRSIG(SenderExpectation.DEFER, "the TLSA record's RRSIG expired a week ago (bogus)");

    private final SenderExpectation expectation;
    private final String description;

    DaneScenario(SenderExpectation expectation, String description) {
        this.expectation = expectation;
        this.description = description;
    }

    /** What RFC 7672 requires of a DANE sender here. */
    public SenderExpectation expectation() {
        return expectation;
    }

    public String description() {
        return description;
    }

    /** True when the scenario's domain is a child zone of its own, delegated without DS. */
    public boolean insecureZone() {
        return this == INSECURE_ZONE;
    }
}

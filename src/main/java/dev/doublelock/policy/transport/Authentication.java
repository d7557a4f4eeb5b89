package dev.doublelock.policy.transport;

/** How a server's certificate chain is (or was) authenticated. */
public enum Authentication {
    /** PKIX path validation to trusted anchors plus the RFC 6125 name check: the Web PKI. */
    PKIX("pkix"),
    /** DANE-EE(3): the leaf's key or certificate is pinned by a TLSA record; no name or date checks (RFC 7672 §3.1.1). */
    DANE_EE("dane-ee"),
    /** DANE-TA(2): a trust anchor is pinned by a TLSA record; chain, dates and names are checked (RFC 7672 §3.1.2). */
    DANE_TA("dane-ta"),
    /** Not authenticated: opportunistic TLS, or no usable chain. */
    NONE("none");

    private final String token;

    Authentication(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}

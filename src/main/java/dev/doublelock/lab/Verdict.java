package dev.doublelock.lab;

/**
 * What a sending system did in one session with a lab endpoint (docs/design.md CLI contract). The order is
 * from worst to most harmless, so a sender's verdict for a profile is the smallest ordinal of its sessions.
 */
public enum Verdict {
    /**
     * On the response-injection profile: after the handshake it acted on the plaintext reply injected before TLS
     * (a man in the middle could have answered for the server).
     */
    ACTED_ON_INJECTED_REPLY("acted on a reply injected before TLS", true),
    /** It completed a TLS handshake with a defective endpoint and delivered the message. */
    DELIVERED_INSECURELY("delivered over defective TLS", true),
    /**
     * On a DANE scenario where RFC 7672 requires deferral (no TLSA record matches, DANE-TA's name check fails, the TLSA
     * lookup is bogus or fails): it delivered all the same.
     */
    DELIVERED_DESPITE_DANE("delivered where DANE requires it to defer", true),
    /** A failed or refused handshake, then the same sender delivered without TLS. */
    PLAINTEXT_FALLBACK("refused TLS, then delivered in plaintext", true),
    /** It delivered without even trying STARTTLS. */
    NO_TLS_DELIVERED("delivered without TLS", true),
    /** Handshake completed, but the sender quit before delivering: it judged the session after the handshake. */
    REFUSED_AFTER_HANDSHAKE("refused after the handshake", false),
    /** The sender aborted the TLS handshake (usually with an alert). */
    REFUSED_AT_HANDSHAKE("refused at the handshake", false),
    /**
     * Delivered over TLS where that is right: a good endpoint, or a DANE scenario whose TLSA records authenticate the
     * server or that has no usable DANE.
     */
    DELIVERED("delivered over good TLS", false),
    /** Connected, delivered nothing, tried no TLS. */
    ABANDONED("connected, sent nothing", false);

    private final String words;
    private final boolean deliveredInsecurely;

    Verdict(String words, boolean deliveredInsecurely) {
        this.words = words;
        this.deliveredInsecurely = deliveredInsecurely;
    }

    public String words() {
        return words;
    }

    /** True if mail reached a defective endpoint (or went out without TLS): the sender failed the test. */
    public boolean failsTest() {
        return deliveredInsecurely;
    }

    public static Verdict worst(Verdict a, Verdict b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}

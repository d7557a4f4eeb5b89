package dev.doublelock.tls;

import java.util.Objects;

/**
 * What the server's Certificate message showed, as a prober or a live session saw it: the difference between
 * "the server sent no certificate" (a defect: nothing authenticates it) and "the chain was not captured" (a
 * gap in the probe, reported as untested). At TLS ≤ 1.2 a server using a certificate-authenticated suite
 * MUST send a Certificate message right after its ServerHello (RFC 5246 §7.4.2, RFC 8422 §5.3); with an
 * anonymous suite (DH_anon, ECDH_anon) it MUST NOT, and nothing authenticates it.
 *
 * @param kind   what was seen
 * @param detail the handshake it was seen in, in words ("TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: …");
 *               empty for {@link Kind#PRESENT}
 */
public record CertificateMessage(Kind kind, String detail) {
    public enum Kind {
        /** A Certificate message with at least one certificate. */
        PRESENT,
        /** A Certificate message whose certificate_list is empty. */
        EMPTY_LIST,
        /** No Certificate message: ServerHelloDone came right after ServerHello/ServerKeyExchange, or only
         *  anonymous suites were accepted. */
        ABSENT,
        /** Not observed (the probe ended before that message, or the handshake was never completed); the
         *  observation's {@code untested} says why. */
        NOT_OBSERVED
    }

    public CertificateMessage {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    public static CertificateMessage present() {
        return new CertificateMessage(Kind.PRESENT, "");
    }

    public static CertificateMessage notObserved(String why) {
        return new CertificateMessage(Kind.NOT_OBSERVED, why);
    }

    /** True if the server was seen to authenticate with no certificate at all. */
    public boolean missing() {
        return kind == Kind.ABSENT || kind == Kind.EMPTY_LIST;
    }
}

package dev.doublelock.tls.probe;

/** How TLS starts on a probed port. */
public enum Transport {
    /** SMTP on port 25/587: greeting, EHLO, STARTTLS, 220, then TLS (RFC 3207). */
    SMTP_STARTTLS,
    /** SMTP submission over implicit TLS (port 465, RFC 8314): TLS from the first byte. */
    IMPLICIT_TLS,
    /** Any TLS service: TLS from the first byte, no application protocol. */
    PLAIN_TLS
}

package dev.doublelock.smtp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link SmtpClientSession} behaves on the wire.
 *
 * @param ehloName       the name sent with EHLO/HELO: the relay's own fully-qualified host name, or an
 *                       address literal such as "[192.0.2.1]" (RFC 5321 4.1.1.1)
 * @param connectTimeout longest wait for the TCP connection
 * @param commandTimeout longest wait for one complete reply (greeting, EHLO, STARTTLS, MAIL, RCPT, DATA,
 *                       QUIT), for each write and for the TLS handshake (RFC 5321 4.5.3.2: 5 minutes)
 * @param dataTimeout    longest wait for the reply after the final "." and for sending the message
 *                       (RFC 5321 4.5.3.2.6: 10 minutes)
 * @param maxReplyLines  most lines accepted in one reply; more is a malformed reply
 * @param maxLineLength  most octets accepted in one reply line (RFC 5321 4.5.3.1.5 says 512 including CRLF;
 *                       real servers exceed it, so the default is more lenient)
 */
public record ClientOptions(String ehloName, Duration connectTimeout, Duration commandTimeout,
                            Duration dataTimeout, int maxReplyLines, int maxLineLength) {
    public ClientOptions {
        Objects.requireNonNull(ehloName, "ehloName");
        if (ehloName.isBlank() || !ehloName.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("ehloName must be a host name such as relay.example.org or an "
                    + "address literal such as [192.0.2.1], without spaces or control characters; got: " + ehloName);
        }
        positive(connectTimeout, "connectTimeout");
        positive(commandTimeout, "commandTimeout");
        positive(dataTimeout, "dataTimeout");
        if (maxReplyLines < 1) {
            throw new IllegalArgumentException("maxReplyLines must be at least 1 (EHLO replies need about 20)");
        }
        if (maxLineLength < 64) {
            throw new IllegalArgumentException("maxLineLength must be at least 64 (RFC 5321 allows 512)");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** RFC 5321 4.5.3.2 timeouts (30 s connect, 5 min per command, 10 min end of data), 100 lines of 2048 octets. */
    public static ClientOptions defaults(String ehloName) {
        return new ClientOptions(ehloName, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10), 100, 2048);
    }

    public ClientOptions withTimeouts(Duration connect, Duration command, Duration data) {
        return new ClientOptions(ehloName, connect, command, data, maxReplyLines, maxLineLength);
    }

    public ClientOptions withLimits(int replyLines, int lineLength) {
        return new ClientOptions(ehloName, connectTimeout, commandTimeout, dataTimeout, replyLines, lineLength);
    }
}

package dev.doublelock.smtp.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds an SMTP server enforces on every client (RFC 5321 4.5.3 sizes, 4.5.3.2 timeouts).
 *
 * @param maxCommandLine  longest command line in octets including CRLF (RFC 5321 4.5.3.1.4: 512)
 * @param maxTextLine     longest DATA line in octets including CRLF (4.5.3.1.6: 1000)
 * @param maxMessageBytes largest message accepted, after dot-unstuffing; advertised with SIZE
 * @param maxRecipients   recipients per transaction; more get 452 4.5.3 (4.5.3.1.8: at least 100)
 * @param maxConnections  concurrent sessions; more get 421 4.7.0 and are closed
 * @param idleTimeout     longest wait for the next command (4.5.3.2.7: 5 minutes)
 * @param commandTimeout  longest time for one whole line once it started (against slow-trickle clients);
 *                        also bounds a TLS handshake and each reply flush
 * @param maxErrors       error replies tolerated per session before 421 and close
 * @param maxBufferedDataBytes message octets all sessions of one server may hold in memory at once (each kept
 *                        octet counts three times: the chunk it is read into, the array handed over, one copy the
 *                        handler may make); a message that would go over gets
 *                        452 4.3.1 after its end was read, so memory use does not grow with concurrent message size
 */
public record SmtpLimits(int maxCommandLine, int maxTextLine, long maxMessageBytes, int maxRecipients,
                         int maxConnections, Duration idleTimeout, Duration commandTimeout, int maxErrors,
                         long maxBufferedDataBytes) {
    /** A third of the heap, at least 16 MiB: the default {@link #maxBufferedDataBytes}. */
    public static final long DEFAULT_BUFFERED_DATA_BYTES = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 3);

    public SmtpLimits {
        require(maxCommandLine >= 64, "maxCommandLine must be at least 64 (RFC 5321 says 512)");
        require(maxTextLine >= 80, "maxTextLine must be at least 80 (RFC 5321 says 1000)");
        require(maxMessageBytes > 0 && maxMessageBytes < Integer.MAX_VALUE - 16,
                "maxMessageBytes must be 1.." + (Integer.MAX_VALUE - 17) + " (messages are held in memory)");
        require(maxRecipients >= 1, "maxRecipients must be at least 1 (RFC 5321 says 100)");
        require(maxConnections >= 1, "maxConnections must be at least 1");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout must be positive");
        require(!commandTimeout.isNegative() && !commandTimeout.isZero(), "commandTimeout must be positive");
        require(maxErrors >= 1, "maxErrors must be at least 1");
        require(maxBufferedDataBytes >= 1 << 20, "maxBufferedDataBytes must be at least 1 MiB");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** RFC 5321 values, 35 MB messages, 200 connections, 60 s per line, 10 errors. */
    public static SmtpLimits defaults() {
        return new SmtpLimits(512, 1000, 35L * 1024 * 1024, 100, 200,
                Duration.ofMinutes(5), Duration.ofSeconds(60), 10, DEFAULT_BUFFERED_DATA_BYTES);
    }

    public SmtpLimits withMaxCommandLine(int v) {
        return new SmtpLimits(v, maxTextLine, maxMessageBytes, maxRecipients, maxConnections, idleTimeout, commandTimeout, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withMaxTextLine(int v) {
        return new SmtpLimits(maxCommandLine, v, maxMessageBytes, maxRecipients, maxConnections, idleTimeout, commandTimeout, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withMaxMessageBytes(long v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, v, maxRecipients, maxConnections, idleTimeout, commandTimeout, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withMaxRecipients(int v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, maxMessageBytes, v, maxConnections, idleTimeout, commandTimeout, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withMaxConnections(int v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, maxMessageBytes, maxRecipients, v, idleTimeout, commandTimeout, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withIdleTimeout(Duration v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, maxMessageBytes, maxRecipients, maxConnections, v, commandTimeout, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withCommandTimeout(Duration v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, maxMessageBytes, maxRecipients, maxConnections, idleTimeout, v, maxErrors, maxBufferedDataBytes);
    }

    public SmtpLimits withMaxErrors(int v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, maxMessageBytes, maxRecipients, maxConnections, idleTimeout, commandTimeout, v, maxBufferedDataBytes);
    }

    public SmtpLimits withMaxBufferedDataBytes(long v) {
        return new SmtpLimits(maxCommandLine, maxTextLine, maxMessageBytes, maxRecipients, maxConnections, idleTimeout, commandTimeout, maxErrors, v);
    }
}

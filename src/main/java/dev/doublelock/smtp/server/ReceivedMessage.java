package dev.doublelock.smtp.server;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.tls.TlsHandshakeResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message as accepted at end of DATA: envelope plus the raw content (dot-unstuffed, CRLF line
 * endings, no Received: header added; adding one is the caller's policy).
 *
 * @param connection     the connection it came over
 * @param heloName       the EHLO/HELO name given in this (TLS) session
 * @param from           MAIL FROM path
 * @param mailParameters MAIL FROM parameters (SIZE, BODY, SMTPUTF8), keys upper-case
 * @param recipients     accepted RCPT TO paths, in order
 * @param content        message octets, at most {@link SmtpLimits#maxMessageBytes()}; only the first
 *                       {@link SessionHandler#contentToKeep()} of them if the handler asked for fewer
 * @param size           the message's whole size in octets (dot-unstuffed), kept or not
 * @param tls            the TLS session the message came over, if any
 */
public record ReceivedMessage(ConnectionInfo connection, String heloName, MailPath from,
                              Map<String, String> mailParameters, List<MailPath> recipients, byte[] content,
                              long size, Optional<TlsHandshakeResult.Established> tls) {
    public ReceivedMessage {
        mailParameters = Map.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        if (size < content.length) {
            throw new IllegalArgumentException("size " + size + " is smaller than the content kept: " + content.length);
        }
    }

    /** A message kept whole: {@code size} is the content's length. */
    public ReceivedMessage(ConnectionInfo connection, String heloName, MailPath from, Map<String, String> mailParameters,
                           List<MailPath> recipients, byte[] content, Optional<TlsHandshakeResult.Established> tls) {
        this(connection, heloName, from, mailParameters, recipients, content, content.length, tls);
    }

    /** True if {@link #content()} holds only the first part of the message (the handler asked for that). */
    public boolean truncated() {
        return size > content.length;
    }

    public boolean receivedOverTls() {
        return tls.isPresent();
    }
}

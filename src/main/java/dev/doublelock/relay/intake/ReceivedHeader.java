package dev.doublelock.relay.intake;

import dev.doublelock.message.HeaderField;
import dev.doublelock.message.MessageDate;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.tls.TlsHandshakeResult;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trace header the intake puts in front of every accepted message (RFC 5321 4.4 time stamp line):
 * {@code Received: from HELO ([IP]) by HOST (doublelock) with PROTOCOL id ID (TLS...) (authenticated
 * as USER) for <RCPT>; DATE}. PROTOCOL is ESMTP, ESMTPS, ESMTPA or ESMTPSA (RFC 3848), with the UTF8
 * prefix for SMTPUTF8 transactions (RFC 6531 3.7.3). Folded so no line exceeds 78 characters of
 * header text where it can be. Client-chosen text (the EHLO name, the user name) is reduced to safe
 * characters so it cannot break the header's syntax.
 */
public final class ReceivedHeader {

    private ReceivedHeader() {
    }

    /** The header field with its final CRLF, ready to prepend to {@code msg.content()}. */
    public static String of(ReceivedMessage msg, String hostName, Optional<String> authenticatedUser, Instant at) {
        String ip = msg.connection().remote().getAddress().getHostAddress();
        String protocol = protocol(msg, authenticatedUser.isPresent());
        List<String> clauses = new ArrayList<>();
        clauses.add("from " + safe(msg.heloName()) + " ([" + (ip.contains(":") ? "IPv6:" + ip : ip) + "])");
        clauses.add("by " + safe(hostName) + " (doublelock) with " + protocol + " id "
                + safe(msg.connection().sessionId()));
        msg.tls().ifPresent(tls -> clauses.add("(" + tlsComment(tls) + ")"));
        authenticatedUser.ifPresent(user -> clauses.add("(authenticated as " + safe(user) + ")"));
        String date = MessageDate.format(at);
        if (msg.recipients().size() == 1) {
            clauses.add("for " + safeAngle(msg.recipients().get(0)) + ";");
        } else {
            clauses.set(clauses.size() - 1, clauses.getLast() + ";");
        }
        clauses.add(date);
        return HeaderField.foldedClauses("Received", clauses);
    }

    /** The header prepended to the message octets. */
    public static byte[] prepend(String header, byte[] content) {
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + content.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        return out;
    }

    static String protocol(ReceivedMessage msg, boolean authenticated) {
        boolean utf8 = msg.mailParameters().containsKey("SMTPUTF8");
        return (utf8 ? "UTF8SMTP" : "ESMTP") + (msg.receivedOverTls() ? "S" : "") + (authenticated ? "A" : "");
    }

    private static String tlsComment(TlsHandshakeResult.Established tls) {
        return "using " + tls.protocol().javaName() + " with cipher " + tls.cipherSuite();
    }

    private static String safeAngle(MailPath path) {
        return "<" + (path.isNull() ? "" : safe(path.address().toString())) + ">";
    }

    /** Keeps printable ASCII except the characters that would end a comment, word or header. */
    static String safe(String text) {
        if (text == null || text.isEmpty()) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 255));
        for (int i = 0; i < text.length() && sb.length() < 255; i++) {
            char c = text.charAt(i);
            boolean ok = c > 32 && c < 127 && "()<>;\\\"".indexOf(c) < 0;
            sb.append(ok ? c : '?');
        }
        return sb.toString();
    }
}

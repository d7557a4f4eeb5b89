package dev.doublelock.relay.e2e;

import dev.doublelock.testing.RawSmtpClient;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Sends one test message per SMTP session to a relay listener, like a trusted system would: EHLO, MAIL, RCPT,
 * DATA, QUIT. Each message carries its own Message-ID, which the lab records on delivery.
 */
final class Submitter {
    private Submitter() {
    }

    /** The message text for {@code messageId} (without angle brackets), CRLF line ends, not dot-stuffed. */
    static String message(String messageId, String to) {
        return "From: <sender@e2e.test>\r\nTo: <" + to + ">\r\nSubject: e2e " + messageId + "\r\nMessage-ID: <"
                + messageId + ">\r\n\r\nbody of " + messageId + "\r\n";
    }

    /**
     * Submits one message; true only if the relay answered 250 to the end of DATA (the relay then owns it).
     * Any I/O failure (the relay died, refused the connection) is false: the caller may try again.
     */
    static boolean send(InetSocketAddress relay, String messageId, String to) {
        try (RawSmtpClient c = new RawSmtpClient(relay)) {
            if (RawSmtpClient.code(c.reply()) != 220) return false;
            if (RawSmtpClient.code(c.command("EHLO client.e2e.test")) != 250) return false;
            int code = c.deliver("sender@e2e.test", to, message(messageId, to));
            if (code == 250) {
                try {
                    c.command("QUIT");
                } catch (IOException ignored) {
                    // accepted already; the QUIT does not matter
                }
            }
            return code == 250;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Strips angle brackets and white space from a Message-ID header value. */
    static String bare(String messageId) {
        if (messageId == null) return null;
        String s = messageId.strip();
        if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1);
        return s;
    }

}

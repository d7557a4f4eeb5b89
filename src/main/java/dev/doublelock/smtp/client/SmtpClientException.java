package dev.doublelock.smtp.client;

import dev.doublelock.smtp.Reply;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an SMTP conversation could not go on: a refusing reply, a malformed reply, a network error or
 * timeout, or a local reason (e.g. the message needs SMTPUTF8 and the server lacks it). The queue
 * branches on {@link #isPermanent()}: a 5xx reply or a local permanent reason bounces, everything else
 * (4xx, network trouble, malformed replies) is retried later.
 */
public class SmtpClientException extends IOException {
    /** Where in the conversation it happened. */
    public enum Phase { CONNECT, GREETING, EHLO, STARTTLS, MAIL, RCPT, DATA, QUIT }

    private static final int QUOTE_LIMIT = 120;
    private final Phase phase;
    private final String command;
    private final transient Reply reply;
    private final boolean permanent;
    private final String localStatus;

    public SmtpClientException(Phase phase, String command, Reply reply, boolean permanent, String message, Throwable cause) {
        this(phase, command, reply, permanent, null, message, cause);
    }

    private SmtpClientException(Phase phase, String command, Reply reply, boolean permanent, String localStatus,
                                String message, Throwable cause) {
        super(message, cause);
        this.localStatus = localStatus;
        this.phase = Objects.requireNonNull(phase, "phase");
        this.command = Objects.requireNonNull(command, "command");
        this.reply = reply;
        this.permanent = permanent;
    }

    /** The server answered {@code command} with a negative (or unexpected) reply; permanent if 5xx. */
    public static SmtpClientException rejected(Phase phase, String command, Reply reply, String host) {
        return new SmtpClientException(phase, command, reply, reply.isPermanent(),
                host + " answered " + describe(command) + " with \"" + reply.summary() + "\"", null);
    }

    /** Network error or timeout: always transient. */
    public static SmtpClientException network(Phase phase, String command, String host, IOException cause) {
        String what = cause instanceof java.net.SocketTimeoutException ? "timed out" : "failed";
        return new SmtpClientException(phase, command, null, false,
                "connection to " + host + " " + what + " during " + describe(command) + ": " + cause.getMessage(), cause);
    }

    /** The server sent something that is not a well-formed reply: transient (the next attempt may meet a sane server). */
    public static SmtpClientException malformed(Phase phase, String command, String host, String problem, String line) {
        return new SmtpClientException(phase, command, null, false,
                "malformed reply from " + host + " to " + describe(command) + ": " + problem + ": " + quote(line), null);
    }

    /** A decision made here, without asking the server. */
    public static SmtpClientException local(Phase phase, String command, boolean permanent, String message) {
        return new SmtpClientException(phase, command, null, permanent, message, null);
    }

    /**
     * A decision made here, without asking the server, with the RFC 3463 enhanced status code that names it
     * (e.g. 5.3.4 "message too big for system" when the message exceeds the server's SIZE).
     */
    public static SmtpClientException local(Phase phase, String command, boolean permanent, String enhancedStatus,
                                            String message) {
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
        if (!enhancedStatus.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("not an enhanced status code: " + enhancedStatus);
        }
        return new SmtpClientException(phase, command, null, permanent, enhancedStatus, message, null);
    }

    /** The enhanced status code of a local decision that has one (RFC 3463); empty for a server's reply. */
    public Optional<String> localStatus() {
        return Optional.ofNullable(localStatus);
    }

    /** The command in progress ("MAIL FROM:&lt;a@b&gt;", "STARTTLS", "(greeting)"). */
    public String command() {
        return command;
    }

    /** The server's reply, if one caused this. */
    public Optional<Reply> reply() {
        return Optional.ofNullable(reply);
    }

    /** True if retrying the same message to the same server cannot help (bounce); false means try later. */
    public boolean isPermanent() {
        return permanent;
    }

    public Phase phase() {
        return phase;
    }

    private static String describe(String command) {
        return command.startsWith("(") ? command : "\"" + command + "\"";
    }

    /** The line in quotes, control characters escaped, cut at 120 characters. */
    static String quote(String line) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(line.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 32 || c == 127) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        if (line.length() > QUOTE_LIMIT) {
            sb.append("... (").append(line.length()).append(" characters)");
        }
        return sb.toString();
    }
}

package dev.doublelock.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * Every reply text doublelock sends, in one place (RFC 5321 section 4.2, enhanced codes from RFC 3463
 * and the IANA registry). Nothing outside this package writes reply strings.
 */
public final class Replies {
    private Replies() {
    }

    // --- session ---
    public static Reply greeting(String host) {
        return Reply.of(220, null, host + " ESMTP doublelock");
    }

    public static Reply CLOSING(String host) {
        return Reply.of(221, "2.0.0", host + " closing connection");
    }

    public static Reply helo(String host, String clientName) {
        return Reply.of(250, null, host + " greets " + clientName);
    }

    /** EHLO reply: the first line greets, the others are extension keywords (RFC 5321 4.1.1.1). */
    public static Reply ehlo(String host, String clientName, List<String> keywords) {
        List<String> lines = new ArrayList<>();
        lines.add(host + " greets " + clientName);
        lines.addAll(keywords);
        return new Reply(250, null, lines);
    }

    public static final Reply OK = Reply.of(250, "2.0.0", "OK");
    public static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender OK");
    public static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient OK");
    public static final Reply RESET_OK = Reply.of(250, "2.0.0", "Reset state");
    public static final Reply START_MAIL_INPUT = Reply.of(354, null, "End data with <CR><LF>.<CR><LF>");
    public static final Reply CANNOT_VRFY = Reply.of(252, "2.5.0",
            "Cannot VRFY user, but will accept message and attempt delivery");
    public static final Reply HELP = Reply.of(214, "2.0.0",
            "Commands: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP STARTTLS; see RFC 5321");

    public static Reply OK_QUEUED(String id) {
        return Reply.of(250, "2.0.0", "OK queued as " + id);
    }

    // --- STARTTLS (RFC 3207) ---
    public static final Reply READY_TO_START_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    public static final Reply TLS_NOT_AVAILABLE = Reply.of(454, "4.7.0", "TLS not available due to temporary reason");
    public static final Reply TLS_ALREADY_ACTIVE = Reply.of(503, "5.5.1", "TLS already active");
    public static final Reply STARTTLS_HAS_NO_PARAMETERS = Reply.of(501, "5.5.4",
            "Syntax: STARTTLS (no parameters allowed)");

    // --- syntax and sequence ---
    public static final Reply SYNTAX_ERROR = Reply.of(500, "5.5.2", "Syntax error, command unrecognized");
    public static final Reply SYNTAX_ERROR_IN_PARAMETERS = Reply.of(501, "5.5.4", "Syntax error in parameters or arguments");
    public static final Reply HELO_NEEDS_DOMAIN = Reply.of(501, "5.5.4", "Syntax: HELO/EHLO needs a domain or address literal");
    public static final Reply NO_PARAMETERS_ALLOWED = Reply.of(501, "5.5.4", "Syntax error: this command takes no parameters");
    public static final Reply COMMAND_NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Command not implemented");
    public static final Reply BAD_SEQUENCE = Reply.of(503, "5.5.1", "Bad sequence of commands");
    public static final Reply SEND_HELO_FIRST = Reply.of(503, "5.5.1", "Bad sequence of commands: send EHLO/HELO first");
    public static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Bad sequence of commands: sender already given, RSET first");
    public static final Reply NEED_MAIL_FIRST = Reply.of(503, "5.5.1", "Bad sequence of commands: send MAIL first");
    public static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    public static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.6", "Line too long (limit is 512 octets including CRLF)");
    public static final Reply BARE_LINE_ENDING = Reply.of(500, "5.5.2",
            "Syntax error: bare LF/CR not allowed, use CRLF");
    public static final Reply NUL_IN_COMMAND = Reply.of(500, "5.5.2", "Syntax error: NUL character not allowed");

    // --- envelope ---
    public static final Reply BAD_SENDER_SYNTAX = Reply.of(501, "5.1.7", "Bad sender address syntax");
    public static final Reply BAD_RECIPIENT_SYNTAX = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    /*
     * Octets that are not UTF-8 (RFC 3629): RFC 6531 §3.5 keeps X.6.7 for well-formed non-ASCII addresses that
     * are not permitted and sends every other rejection back to RFC 5321, where an address that does not parse
     * is 501 (RFC 5321 §4.2.3) with X.1.7 / X.1.3 (RFC 3463 §3.2).
     */
    public static final Reply SENDER_NOT_UTF8 = Reply.of(501, "5.1.7",
            "Bad sender address syntax: not valid UTF-8 (RFC 3629, RFC 6531 3.3)");
    public static final Reply RECIPIENT_NOT_UTF8 = Reply.of(501, "5.1.3",
            "Bad recipient address syntax: not valid UTF-8 (RFC 3629, RFC 6531 3.3)");
    public static final Reply COMMAND_NOT_UTF8 = Reply.of(500, "5.5.2", "Syntax error: command is not valid UTF-8");
    public static final Reply UNSUPPORTED_PARAMETER = Reply.of(555, "5.5.4", "MAIL/RCPT parameter not recognized or not implemented");
    public static final Reply NON_ASCII_NEEDS_SMTPUTF8 = Reply.of(553, "5.6.7",
            "Non-ASCII address needs the SMTPUTF8 parameter on MAIL FROM (RFC 6531)");
    public static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");

    // --- message content ---
    public static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static final Reply TEXT_LINE_TOO_LONG = Reply.of(552, "5.6.0",
            "Message rejected: a text line is longer than 1000 octets including CRLF (RFC 5321 4.5.3.1.6)");
    /**
     * A bare LF or bare CR in message content (the SMTP smuggling class). doublelock rejects such a
     * message with 550 5.6.11, the code the brief chose; only CRLF.CRLF ends DATA.
     */
    public static final Reply BARE_LINE_ENDING_IN_DATA = Reply.of(550, "5.6.11",
            "Message rejected: bare LF/CR in message content, use CRLF line endings");
    public static final Reply NUL_IN_DATA = Reply.of(550, "5.6.0", "Message rejected: NUL character in message content");

    // --- relay access and SMTP AUTH (RFC 4954; RFC 3207 4 for "STARTTLS first") ---
    public static final Reply RELAY_ACCESS_DENIED = Reply.of(554, "5.7.1", "Relay access denied");
    public static final Reply AUTHENTICATION_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    public static final Reply MUST_ISSUE_STARTTLS_FIRST = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    public static final Reply AUTH_SUCCEEDED = Reply.of(235, "2.7.0", "Authentication successful");
    public static final Reply AUTH_CREDENTIALS_INVALID = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");
    public static final Reply AUTH_CANNOT_DECODE = Reply.of(501, "5.5.2", "Cannot decode response (base64 expected)");
    public static final Reply AUTH_MECHANISM_UNKNOWN = Reply.of(504, "5.5.4",
            "Unrecognized authentication type; use PLAIN or LOGIN");
    public static final Reply AUTH_NOT_AVAILABLE = Reply.of(502, "5.5.1", "AUTH not available on this port");
    public static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Already authenticated");
    public static final Reply AUTH_NOT_IN_TRANSACTION = Reply.of(503, "5.5.1",
            "AUTH is not allowed during a mail transaction, RSET first");

    /**
     * Too many failed AUTH attempts from the client's address, across sessions (RFC 4954 has no code for it; 421
     * closes the channel, as Postfix's anvil limits do); {@code minutes} until it may try again.
     */
    public static Reply authBlocked(long minutes) {
        return Reply.of(421, "4.7.0", "Too many failed authentications from your address, try again in "
                + Math.max(1, minutes) + (minutes <= 1 ? " minute" : " minutes") + "; closing connection");
    }

    /** A SASL challenge (RFC 4954 4): {@code 334 base64}, or {@code "334 "} for an empty one. */
    public static Reply authChallenge(String base64) {
        return Reply.of(334, null, base64);
    }

    // --- the server's own trouble ---
    /** RFC 5321 §4.2.3 / RFC 3463 X.3.1: the server cannot hold the message now (its message memory is in use). */
    public static final Reply INSUFFICIENT_STORAGE = Reply.of(452, "4.3.1", "Insufficient system storage, try again later");
    public static final Reply LOCAL_ERROR = Reply.of(451, "4.3.0", "Local error in processing, try again later");
    public static final Reply TIMEOUT = Reply.of(421, "4.4.2", "Timeout, closing connection");
    public static final Reply TOO_MANY_CONNECTIONS = Reply.of(421, "4.7.0", "Too many connections, try again later");
    public static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "Too many errors, closing connection");
    public static final Reply SHUTTING_DOWN = Reply.of(421, "4.3.2", "Service shutting down, closing connection");
}

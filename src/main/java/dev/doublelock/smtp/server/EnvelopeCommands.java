package dev.doublelock.smtp.server;

import dev.doublelock.smtp.AddressSyntaxException;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** MAIL FROM and RCPT TO (RFC 5321 4.1.1.2-3, SIZE RFC 1870, 8BITMIME RFC 6152, SMTPUTF8 RFC 6531). */
final class EnvelopeCommands {
    private static final Set<String> MAIL_PARAMETERS = Set.of("SIZE", "BODY", "SMTPUTF8");
    private final SmtpLimits limits;
    private final SessionHandler handler;

    EnvelopeCommands(SmtpLimits limits, SessionHandler handler) {
        this.limits = limits;
        this.handler = handler;
    }

    /** The reply and, if the sender was accepted, the new transaction. */
    record MailResult(Reply reply, Transaction transaction) {
    }

    MailResult mail(String args) {
        if (!args.toUpperCase(Locale.ROOT).startsWith("FROM:")) {
            return new MailResult(Replies.SYNTAX_ERROR_IN_PARAMETERS, null);
        }
        MailPath.WithParameters parsed;
        try {
            parsed = MailPath.parseReversePath(args.substring(5));
        } catch (AddressSyntaxException e) {
            return new MailResult(Replies.BAD_SENDER_SYNTAX, null);
        }
        if (!MAIL_PARAMETERS.containsAll(parsed.parameters().keySet())) {
            return new MailResult(Replies.UNSUPPORTED_PARAMETER, null);
        }
        boolean utf8;
        try {
            utf8 = parsed.smtpUtf8();
            parsed.body();
            if (parsed.size().orElse(0) > limits.maxMessageBytes()) {
                return new MailResult(Replies.MESSAGE_TOO_BIG, null);
            }
        } catch (AddressSyntaxException e) {
            return new MailResult(Replies.SYNTAX_ERROR_IN_PARAMETERS, null);
        }
        if (!utf8 && !parsed.path().isNull() && !parsed.path().address().isAscii()) {
            return new MailResult(Replies.NON_ASCII_NEEDS_SMTPUTF8, null);
        }
        Reply reply = guarded(() -> handler.onMail(parsed.path(), parsed.parameters()));
        Transaction txn = reply.isPositive() ? new Transaction(parsed.path(), parsed.parameters(), utf8) : null;
        return new MailResult(reply, txn);
    }

    Reply rcpt(Transaction txn, String args) {
        if (!args.toUpperCase(Locale.ROOT).startsWith("TO:")) {
            return Replies.SYNTAX_ERROR_IN_PARAMETERS;
        }
        if (txn.recipients.size() >= limits.maxRecipients()) {
            return Replies.TOO_MANY_RECIPIENTS;
        }
        MailPath.WithParameters parsed;
        try {
            parsed = MailPath.parseForwardPath(args.substring(3));
        } catch (AddressSyntaxException e) {
            return Replies.BAD_RECIPIENT_SYNTAX;
        }
        if (!parsed.parameters().isEmpty()) {
            return Replies.UNSUPPORTED_PARAMETER;
        }
        if (!txn.smtpUtf8 && !parsed.path().address().isAscii()) {
            return Replies.NON_ASCII_NEEDS_SMTPUTF8;
        }
        Reply reply = guarded(() -> handler.onRcpt(parsed.path(), parsed.parameters()));
        if (reply.isPositive()) {
            txn.recipients.add(parsed.path());
        }
        return reply;
    }

    /** Calls the handler; a handler that throws or returns null yields 451 4.3.0. */
    static Reply guarded(Supplier<Reply> call) {
        try {
            Reply r = call.get();
            return r == null ? Replies.LOCAL_ERROR : r;
        } catch (RuntimeException e) {
            return Replies.LOCAL_ERROR;
        }
    }
}

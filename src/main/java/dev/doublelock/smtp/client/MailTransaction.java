package dev.doublelock.smtp.client;

import dev.doublelock.smtp.DotStuffing;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.client.SmtpClientException.Phase;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One MAIL/RCPT/DATA transaction (RFC 5321 3.3). Before anything is sent the message is checked against
 * what the server offered: SMTPUTF8 (RFC 6531 3.4), 8BITMIME (RFC 6152) and SIZE (RFC 1870); a message
 * the server cannot take is a permanent failure for this attempt. MAIL and all RCPTs go out in one write
 * when the server offers PIPELINING (RFC 2920; in windows of 100 commands), otherwise one by one. DATA follows only if a recipient
 * was accepted; after a refusal the transaction is reset with RSET so the session stays usable.
 */
final class MailTransaction {
    private static final java.util.regex.Pattern KEYWORD = java.util.regex.Pattern.compile("[A-Z0-9][A-Z0-9-]*");
    /**
     * Most commands written before their replies are read: keeps the unread replies far below socket
     * buffer sizes, so a server that stops reading while its replies pile up cannot deadlock us (RFC 2920 3.1).
     */
    static final int PIPELINE_WINDOW = 100;
    private final SmtpClientSession session;
    private final Wire wire;
    private final EhloResult caps;
    private final ClientOptions options;

    MailTransaction(SmtpClientSession session, Wire wire, EhloResult caps, ClientOptions options) {
        this.session = session;
        this.wire = wire;
        this.caps = caps;
        this.options = options;
    }

    DeliveryResult run(String mailFrom, List<String> recipients, Map<String, String> extraParams, byte[] message)
            throws SmtpClientException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("send() needs at least one recipient");
        }
        if (new HashSet<>(recipients).size() != recipients.size()) {
            throw new IllegalArgumentException("recipients must not repeat: " + recipients);
        }
        MailPath from = SmtpClientSession.parsePath(mailFrom, true, Phase.MAIL);
        List<MailPath> to = new ArrayList<>();
        for (String r : recipients) {
            to.add(SmtpClientSession.parsePath(r, false, Phase.RCPT));
        }
        MessageNeeds needs = MessageNeeds.of(message, from, to);
        String mailCommand = "MAIL FROM:" + from.toWire() + parameters(needs, message.length, extraParams);
        check(needs, message.length, mailCommand);

        List<String> rcptCommands = to.stream().map(p -> "RCPT TO:" + p.toWire()).toList();
        Reply mailReply;
        List<Reply> rcptReplies = new ArrayList<>();
        if (caps.supports("PIPELINING")) {
            List<String> group = new ArrayList<>();
            group.add(mailCommand);
            group.addAll(rcptCommands.subList(0, Math.min(PIPELINE_WINDOW - 1, rcptCommands.size())));
            wire.writeCommands(Phase.MAIL, group, options.commandTimeout());
            mailReply = read(Phase.MAIL, mailCommand);
            for (int i = 0; i < rcptCommands.size(); i++) {
                if (i >= PIPELINE_WINDOW - 1 && (i - PIPELINE_WINDOW + 1) % PIPELINE_WINDOW == 0) {
                    wire.writeCommands(Phase.RCPT, rcptCommands.subList(i,
                            Math.min(i + PIPELINE_WINDOW, rcptCommands.size())), options.commandTimeout());
                }
                rcptReplies.add(read(Phase.RCPT, rcptCommands.get(i)));
            }
        } else {
            mailReply = session.exchange(Phase.MAIL, mailCommand);
            if (mailReply.code() / 100 == 2) {
                for (String rcpt : rcptCommands) {
                    rcptReplies.add(session.exchange(Phase.RCPT, rcpt));
                }
            }
        }
        if (mailReply.code() / 100 != 2) {
            reset();
            throw SmtpClientException.rejected(Phase.MAIL, mailCommand, mailReply, session.host());
        }
        Map<String, Reply> byRecipient = new LinkedHashMap<>();
        for (int i = 0; i < recipients.size(); i++) {
            Reply r = rcptReplies.get(i);
            if (r.code() == 421) {
                throw wire.fail(SmtpClientException.rejected(Phase.RCPT, rcptCommands.get(i), r, session.host()));
            }
            if (r.code() / 100 == 3) {
                throw wire.fail(SmtpClientException.malformed(Phase.RCPT, rcptCommands.get(i), session.host(),
                        "a 3xx reply makes no sense for RCPT", r.summary()));
            }
            byRecipient.put(recipients.get(i), r);
        }
        if (byRecipient.values().stream().noneMatch(Reply::isPositive)) {
            reset();
            return new DeliveryResult(mailReply, byRecipient, Optional.empty());
        }
        return new DeliveryResult(mailReply, byRecipient, Optional.of(data(message)));
    }

    /** DATA, the dot-stuffed message and the final reply; the non-354 reply to DATA if it was refused. */
    private Reply data(byte[] message) throws SmtpClientException {
        Reply go = session.exchange(Phase.DATA, "DATA");
        if (go.code() != 354) {
            if (go.isPositive()) {
                throw wire.fail(SmtpClientException.malformed(Phase.DATA, "DATA", session.host(),
                        "expected 354 before the message", go.summary()));
            }
            reset();
            return go;
        }
        byte[] payload = DotStuffing.encode(message);
        session.transcript().event("message: " + message.length + " octets (" + payload.length + " on the wire)");
        wire.writeBytes(Phase.DATA, "(message)", payload, options.dataTimeout());
        Reply done = wire.readReply(Phase.DATA, "(end of data)", options.dataTimeout());
        if (done.code() == 421) {
            wire.close("server sent 421 after the message");
        }
        return done;
    }

    private Reply read(Phase phase, String command) throws SmtpClientException {
        return wire.readReply(phase, command, options.commandTimeout());
    }

    /** RSET to leave the session clean for another transaction; failures only close the connection. */
    private void reset() {
        if (!wire.isOpen()) {
            return;
        }
        try {
            session.exchange(Phase.MAIL, "RSET");
        } catch (SmtpClientException e) {
            wire.close("RSET failed: " + e.getMessage());
        }
    }

    private void check(MessageNeeds needs, long size, String mailCommand) throws SmtpClientException {
        if (needs.bareLineEndingAt() >= 0) {
            throw SmtpClientException.local(Phase.DATA, "(message)", true, "5.6.0", "the message has a bare CR or LF at offset "
                    + needs.bareLineEndingAt() + "; normalise line endings to CRLF before sending (a bare line "
                    + "ending can be misread by the next hop, see SMTP smuggling)");
        }
        if (needs.smtpUtf8() && !caps.supports("SMTPUTF8")) {
            throw SmtpClientException.local(Phase.MAIL, mailCommand, true, "the message needs SMTPUTF8 because "
                    + needs.smtpUtf8Reason() + ", but " + session.host() + " does not offer SMTPUTF8 (RFC 6531 3.4); "
                    + "it cannot be delivered to this server without downgrading the addresses and headers");
        }
        if (needs.eightBit() && !caps.supports("8BITMIME")) {
            throw SmtpClientException.local(Phase.MAIL, mailCommand, true, "5.6.3", "the message contains 8-bit octets, but "
                    + session.host() + " does not offer 8BITMIME (RFC 6152); encode the body as quoted-printable or "
                    + "base64 to send it here");
        }
        long limit = caps.size().orElse(0);
        if (limit > 0 && size > limit) {
            // RFC 3463 §3.4: X.3.4 "message too big for system"
            throw SmtpClientException.local(Phase.MAIL, mailCommand, true, "5.3.4", "the message has " + size + " octets, more than the "
                    + limit + " that " + session.host() + " advertises with SIZE (RFC 1870)");
        }
    }

    /** " SIZE=n BODY=8BITMIME SMTPUTF8 ..." as this server and message call for, then the caller's extras. */
    private String parameters(MessageNeeds needs, long size, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>();
        if (caps.supports("SIZE")) {
            params.put("SIZE", Long.toString(size));
        }
        if (needs.eightBit() && caps.supports("8BITMIME")) {
            params.put("BODY", "8BITMIME");
        }
        if (needs.smtpUtf8() && caps.supports("SMTPUTF8")) {
            params.put("SMTPUTF8", "");
        }
        Set<String> seen = new HashSet<>();
        extra.forEach((k, v) -> {
            String key = k.toUpperCase(Locale.ROOT);
            if (!KEYWORD.matcher(key).matches() || !seen.add(key)) {
                throw new IllegalArgumentException("bad or repeated MAIL parameter keyword: " + SmtpClientException.quote(k));
            }
            if (v == null || v.chars().anyMatch(c -> c <= 32 || c == '=' || c >= 127)) {
                throw new IllegalArgumentException("MAIL parameter " + key + " needs a value of printable ASCII without "
                        + "spaces or '=' (\"\" for a bare keyword); got: " + SmtpClientException.quote(String.valueOf(v)));
            }
            params.put(key, v);
        });
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(' ').append(k).append(v.isEmpty() ? "" : "=" + v));
        return sb.toString();
    }
}

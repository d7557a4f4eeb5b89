package dev.doublelock.smtp.server;

import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.SmtpLineReader;
import dev.doublelock.tls.TlsHandshakeResult;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One SMTP conversation (RFC 5321 4.1, 4.3.2 sequencing) on its own virtual thread: reads bounded
 * command lines, answers them through {@link ReplyChannel}, and tells the {@link SessionHandler} what
 * happened. Replies to pipelined commands are flushed only when no complete command is waiting
 * (RFC 2920 3.2).
 */
final class SmtpSession implements Runnable {
    private static final Set<String> NOT_IMPLEMENTED = Set.of("EXPN", "TURN", "ETRN", "ATRN", "BDAT", "SEND",
            "SOML", "SAML", "AUTH");
    /** Replies that count towards {@link SmtpLimits#maxErrors()}; 530 and 535 are refused or failed AUTH. */
    private static final Set<Integer> PROTOCOL_ERRORS = Set.of(500, 501, 502, 503, 504, 530, 535, 555);
    private static final int CONTINUE = 334;

    private final ServerContext server;
    private final ConnectionInfo info;
    private final Connection conn;
    private final SessionHandler handler;
    private final Transcript transcript;
    private final ReplyChannel replies;
    private final EnvelopeCommands envelope;
    private volatile boolean shuttingDown;
    private String heloName;
    private Transaction txn;
    private int errors;
    private static final int CLOSING_CHANNEL = 421;
    /** The reply a man in the middle injects with the 220 to STARTTLS (the response-injection profile). */
    static final Reply INJECTED_EHLO_REPLY = new Reply(250, null, List.of("injected.invalid (a plaintext reply injected "
            + "before TLS: do not believe it)", "PIPELINING", "8BITMIME"));
    private boolean watchInjectedReply;
    private boolean continuation;

    SmtpSession(ServerContext server, ConnectionInfo info, Connection conn, SessionHandler handler, Transcript transcript) {
        this.server = server;
        this.info = info;
        this.conn = conn;
        this.handler = handler;
        this.transcript = transcript;
        this.replies = new ReplyChannel(transcript, server.watchdog(), server.limits().commandTimeout(), conn::closeQuietly);
        this.envelope = new EnvelopeCommands(server.limits(), handler);
    }

    /** Ends the session from another thread ({@link SmtpServer#close()}). */
    void shutdown() {
        shuttingDown = true;
        conn.closeQuietly();
    }

    @Override
    public void run() {
        CloseReason reason = CloseReason.IO_ERROR;
        try {
            replies.attach(conn.current().getOutputStream());
            replies.send(Replies.greeting(server.hostName()));
            commandLoop();
        } catch (SessionEnd end) {
            reason = end.reason;
        } catch (SocketTimeoutException e) {
            reason = CloseReason.TIMEOUT;
            transcript.event("timeout: " + e.getMessage());
            trySend(Replies.TIMEOUT);
        } catch (EOFException e) {
            reason = shuttingDown ? CloseReason.SERVER_SHUTDOWN : CloseReason.CLIENT_CLOSED;
        } catch (IOException | RuntimeException e) {
            reason = shuttingDown ? CloseReason.SERVER_SHUTDOWN : CloseReason.IO_ERROR;
            transcript.event("error: " + e);
        } finally {
            conn.closeQuietly();
            transcript.event("closed: " + reason);
            try {
                handler.onClose(reason, transcript);
            } catch (RuntimeException ignored) {
                // a handler failure must not leak out of the session thread
            }
        }
    }

    private void trySend(Reply reply) {
        try {
            replies.send(reply);
        } catch (IOException | RuntimeException ignored) {
            // the connection is going away anyway
        }
    }

    private void commandLoop() throws IOException, SessionEnd {
        SmtpLimits limits = server.limits();
        while (true) {
            if (!conn.reader().hasCompleteLineBuffered()) {
                replies.flush();
            }
            conn.beginLine(limits.idleTimeout(), limits.commandTimeout());
            SmtpLineReader.Line line = conn.reader().readLine(limits.maxCommandLine() - 2);
            transcript.client(printable(line.text()));
            Reply reply = execute(line);
            if (reply == null) {
                continue;
            }
            if (reply.code() == CLOSING_CHANNEL) {
                // RFC 5321 §3.8: 421 means the server closes the channel; whoever answered it, the session ends
                replies.send(reply);
                throw new SessionEnd(CloseReason.REFUSED);
            }
            replies.queue(reply);
            if (PROTOCOL_ERRORS.contains(reply.code()) && ++errors >= limits.maxErrors()) {
                replies.send(Replies.TOO_MANY_ERRORS);
                throw new SessionEnd(CloseReason.TOO_MANY_ERRORS);
            }
        }
    }

    /** Runs one command; returns its reply, or null if the command already sent its replies. */
    private Reply execute(SmtpLineReader.Line line) throws IOException, SessionEnd {
        boolean continues = continuation;
        continuation = false; // a bad line also ends an AUTH exchange
        if (line.overlong()) {
            return Replies.LINE_TOO_LONG;
        }
        if (line.nul()) {
            return Replies.NUL_IN_COMMAND;
        }
        if (line.hasBareLineEnding()) {
            return Replies.BARE_LINE_ENDING;
        }
        java.util.Optional<String> strict = line.strictText();
        if (strict.isEmpty()) {
            return notUtf8(line.text(), continues);
        }
        String text = strict.get();
        if (continues) {
            return continued(EnvelopeCommands.guarded(() -> handler.onContinuation(text)));
        }
        int space = text.indexOf(' ');
        String verb = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : text.substring(space + 1).strip();
        if (watchInjectedReply) {
            watchInjectedReply = false;
            injectedReplyCheck(verb, text);
        }
        return switch (verb) {
            case "EHLO", "HELO" -> helo(verb, args);
            case "MAIL" -> mail(args);
            case "RCPT" -> txn == null ? Replies.NEED_MAIL_FIRST : envelope.rcpt(txn, args);
            case "DATA" -> data(args);
            case "RSET" -> args.isEmpty() ? rset() : Replies.NO_PARAMETERS_ALLOWED;
            case "NOOP" -> Replies.OK;
            case "VRFY" -> args.isEmpty() ? Replies.SYNTAX_ERROR_IN_PARAMETERS : Replies.CANNOT_VRFY;
            case "HELP" -> Replies.HELP;
            case "QUIT" -> quit();
            case "STARTTLS" -> startTls(args);
            default -> unknown(verb, args);
        };
    }

    /** A command line that is not UTF-8: never acted on, whatever the command (RFC 6531 3.3, RFC 3629). */
    private Reply notUtf8(String lossy, boolean continues) {
        if (continues) {
            return Replies.COMMAND_NOT_UTF8; // ends the AUTH exchange: base64 is ASCII
        }
        int space = lossy.indexOf(' ');
        String verb = (space < 0 ? lossy : lossy.substring(0, space)).toUpperCase(Locale.ROOT);
        return switch (verb) {
            case "MAIL" -> Replies.SENDER_NOT_UTF8;
            case "RCPT" -> Replies.RECIPIENT_NOT_UTF8;
            default -> Replies.COMMAND_NOT_UTF8;
        };
    }

    /**
     * The response-injection profile, first command inside TLS: a client that sends no EHLO, or sends its next
     * command within {@link StartTlsSupport.Offered#INJECTION_WAIT} without waiting for the EHLO reply (RFC 2920 §3.1:
     * EHLO ends a pipelined group), answered itself with the injected plaintext reply.
     */
    private void injectedReplyCheck(String verb, String text) throws IOException {
        if (!verb.equals("EHLO") && !verb.equals("HELO")) {
            transcript.event("the client sent no EHLO after the handshake: it took the injected reply as the answer");
            callHandler(() -> handler.onInjectedReplyTaken(printable(text)));
            return;
        }
        if (conn.inputWithin(StartTlsSupport.Offered.INJECTION_WAIT)) {
            transcript.event("the client sent more before its EHLO was answered: it took the injected reply as the answer");
            callHandler(() -> handler.onInjectedReplyTaken(printable(text) + " (then more without waiting)"));
        }
    }

    private Reply helo(String verb, String args) {
        if (args.isEmpty() || args.contains(" ")) {
            return Replies.HELO_NEEDS_DOMAIN;
        }
        resetTransaction();
        heloName = args;
        callHandler(() -> handler.onHelo(verb, args));
        if (verb.equals("HELO")) {
            return Replies.helo(server.hostName(), args);
        }
        return Replies.ehlo(server.hostName(), args, ehloKeywords());
    }

    private List<String> ehloKeywords() {
        List<String> keywords = new ArrayList<>(List.of("PIPELINING", "SIZE " + server.limits().maxMessageBytes(),
                "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES"));
        if (server.startTls().advertised() && conn.tls().isEmpty()) {
            keywords.add("STARTTLS");
        }
        try {
            for (String keyword : handler.extraEhloKeywords()) {
                if (keyword != null && !keyword.isBlank() && keyword.chars().noneMatch(c -> c < 32)) {
                    keywords.add(keyword);
                }
            }
        } catch (RuntimeException ignored) {
            // a broken handler does not break EHLO
        }
        keywords.add("HELP");
        return keywords;
    }

    private Reply mail(String args) {
        if (heloName == null) {
            return Replies.SEND_HELO_FIRST;
        }
        if (txn != null) {
            return Replies.NESTED_MAIL;
        }
        EnvelopeCommands.MailResult result = envelope.mail(args);
        txn = result.transaction();
        return result.reply();
    }

    private Reply data(String args) throws IOException {
        if (!args.isEmpty()) {
            return Replies.NO_PARAMETERS_ALLOWED;
        }
        if (txn == null) {
            return Replies.NEED_MAIL_FIRST;
        }
        if (txn.recipients.isEmpty()) {
            return Replies.NO_VALID_RECIPIENTS;
        }
        replies.send(Replies.START_MAIL_INPUT);
        MessageReader reader = new MessageReader(server.limits(), server.dataBudget(), handler.contentToKeep());
        try {
            MessageReader.Outcome outcome = reader.read(conn);
            Transaction done = txn;
            txn = null;
            return switch (outcome) {
                case MessageReader.Outcome.Rejected r -> {
                    transcript.event("message rejected: " + r.reason());
                    yield r.reply();
                }
                case MessageReader.Outcome.Accepted a -> {
                    transcript.event("message: " + a.size() + " octets");
                    ReceivedMessage msg = new ReceivedMessage(info, heloName, done.from, done.mailParameters,
                            done.recipients, a.content(), a.size(), conn.tls());
                    yield EnvelopeCommands.guarded(() -> handler.onMessage(msg));
                }
            };
        } finally {
            server.dataBudget().release(reader.reserved()); // the handler has stored or dropped the content
        }
    }

    private Reply rset() {
        txn = null;
        callHandler(handler::onReset);
        return Replies.RESET_OK;
    }

    private Reply quit() throws IOException, SessionEnd {
        replies.send(Replies.CLOSING(server.hostName()));
        throw new SessionEnd(CloseReason.QUIT);
    }

    private Reply startTls(String args) throws IOException, SessionEnd {
        if (!args.isEmpty()) {
            return Replies.STARTTLS_HAS_NO_PARAMETERS;
        }
        if (conn.tls().isPresent()) {
            return Replies.TLS_ALREADY_ACTIVE;
        }
        return switch (server.startTls()) {
            case StartTlsSupport.NotAdvertised n -> Replies.COMMAND_NOT_IMPLEMENTED;
            case StartTlsSupport.AdvertisedButRefused refused -> {
                callHandler(() -> handler.onStartTlsRefused(refused.reply()));
                yield refused.reply();
            }
            case StartTlsSupport.Offered offered -> upgrade(offered.upgrader(), offered.executesInjected(),
                    offered.injectsResponses());
        };
    }

    private Reply upgrade(TlsUpgrader upgrader, boolean executesInjected, boolean injectsResponses)
            throws IOException, SessionEnd {
        replies.flush();
        int injected = executesInjected ? conn.carryPipelinedPlaintext() : conn.discardPipelinedPlaintext();
        if (injected > 0) {
            transcript.event((executesInjected ? "kept (to execute inside TLS: the injection profile) " : "discarded ")
                    + injected + " octets pipelined after STARTTLS");
            callHandler(() -> handler.onStartTlsInjection(injected));
        }
        replies.queue(Replies.READY_TO_START_TLS);
        if (injectsResponses) { // the attack on senders, on purpose: one segment, 220 and a fake EHLO reply
            replies.queue(INJECTED_EHLO_REPLY);
            transcript.event("injected a plaintext EHLO reply after the 220 (the response-injection profile)");
        }
        replies.flush();
        TlsStarter.Outcome outcome = new TlsStarter(upgrader, server.watchdog(), server.limits().commandTimeout())
                .handshake(conn);
        transcript.event("TLS: " + outcome.result());
        callHandler(() -> handler.onStartTls(outcome.result()));
        if (!(outcome.result() instanceof TlsHandshakeResult.Established established)) {
            TlsHandshakeResult.Failed failed = (TlsHandshakeResult.Failed) outcome.result();
            throw new SessionEnd(failed.alert().equals(TlsHandshakeResult.Failed.TIMEOUT)
                    ? CloseReason.TIMEOUT : CloseReason.CLIENT_CLOSED);
        }
        conn.upgraded(outcome.socket(), established);
        replies.attach(outcome.socket().getOutputStream());
        resetTransaction();
        heloName = null; // RFC 3207 4.2: forget everything learnt before TLS
        watchInjectedReply = injectsResponses;
        return null;
    }

    private Reply unknown(String verb, String args) {
        Optional<Reply> custom;
        try {
            custom = handler.onUnknownCommand(verb, args);
        } catch (RuntimeException e) {
            return Replies.LOCAL_ERROR;
        }
        if (custom != null && custom.isPresent()) {
            return continued(custom.get());
        }
        return NOT_IMPLEMENTED.contains(verb) ? Replies.COMMAND_NOT_IMPLEMENTED : Replies.SYNTAX_ERROR;
    }

    /** Notes whether the handler asked for a continuation line (334) and passes the reply on. */
    private Reply continued(Reply reply) {
        continuation = reply.code() == CONTINUE;
        return reply;
    }

    private void resetTransaction() {
        if (txn != null) {
            txn = null;
            callHandler(handler::onReset);
        }
    }

    private static void callHandler(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // handler failures never end the session
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case 0 -> sb.append("\\0");
                default -> sb.append(c < 32 ? '?' : c);
            }
        }
        return sb.toString();
    }
}

package dev.doublelock.smtp.server;

import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.tls.TlsHandshakeResult;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one connection's owner learns and decides: the lab records from these callbacks, the relay's
 * intake accepts or refuses. One instance per connection, called from that connection's thread only.
 * Every method has a default, so implement only what you need. A callback that throws makes the
 * server answer 451 4.3.0 to that command; the session continues.
 */
public interface SessionHandler {
    /** After a syntactically valid HELO or EHLO; {@code verb} is "HELO" or "EHLO". */
    default void onHelo(String verb, String name) {
    }

    /** After every STARTTLS handshake attempt; a Failed result is followed by close (CLIENT_CLOSED). */
    default void onStartTls(TlsHandshakeResult result) {
    }

    /** STARTTLS was advertised but answered with this refusal (StartTlsSupport.AdvertisedButRefused). */
    default void onStartTlsRefused(Reply reply) {
    }

    /** Plaintext octets pipelined after STARTTLS were discarded unexecuted (CVE-2011-0411 class). */
    default void onStartTlsInjection(int discardedBytes) {
    }

    /** MAIL FROM passed syntax, sequence and SIZE checks; return the reply (positive starts the transaction). */
    /**
     * The response-injection profile only: after the handshake the client acted on the plaintext reply injected with
     * the 220 — it sent {@code command} before the server had answered its EHLO inside TLS, or it sent no EHLO at all.
     */
    default void onInjectedReplyTaken(String command) {
    }

    default Reply onMail(MailPath from, Map<String, String> params) {
        return Replies.SENDER_OK;
    }

    /** RCPT TO passed syntax, sequence and recipient-limit checks; a positive reply adds the recipient. */
    default Reply onRcpt(MailPath to, Map<String, String> params) {
        return Replies.RECIPIENT_OK;
    }

    /** A complete, clean message; the reply is sent as the end-of-data answer. */
    default Reply onMessage(ReceivedMessage msg) {
        return Replies.OK_QUEUED(msg.connection().sessionId());
    }

    /** RSET, or a new EHLO/HELO or TLS start, dropped the transaction. */
    /**
     * How many octets of each message this handler needs in {@link ReceivedMessage#content()}: all of them (the
     * default) to store or forward the message; fewer when it only looks at the header and counts the rest (the lab),
     * so that large messages cost no memory. {@link ReceivedMessage#size()} is always the whole size.
     */
    default long contentToKeep() {
        return Long.MAX_VALUE;
    }

    default void onReset() {
    }

    /** Extra EHLO keywords (e.g. "AUTH PLAIN"). */
    default List<String> extraEhloKeywords() {
        return List.of();
    }

    /** Called for verbs the server does not know; return a reply to handle it (e.g. AUTH). */
    default Optional<Reply> onUnknownCommand(String verb, String args) {
        return Optional.empty();
    }

    /**
     * The client's next line after this handler answered a command with 334 (an SMTP AUTH exchange,
     * RFC 4954 4): the raw response line, never parsed as a command. Answer 334 again to ask for another
     * line; any other reply ends the exchange. Called only right after {@link #onUnknownCommand} or this
     * method returned 334; the transcript redacts these lines.
     */
    default Reply onContinuation(String line) {
        return Replies.BAD_SEQUENCE;
    }

    /** The session ended. */
    default void onClose(CloseReason reason) {
    }

    /** The session ended; also gives the transcript. The default calls {@link #onClose(CloseReason)}. */
    default void onClose(CloseReason reason, Transcript transcript) {
        onClose(reason);
    }
}

package dev.doublelock.smtp.client;

import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.AddressSyntaxException;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.client.SmtpClientException.Phase;
import dev.doublelock.tls.EphemeralKeyRecorder;
import dev.doublelock.tls.SessionObservation;
import dev.doublelock.tls.StartTlsOutcome;
import dev.doublelock.tls.TlsHandshakeResult;

import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One SMTP client connection to one server, driven step by step so that the caller can judge the TLS
 * session between STARTTLS and MAIL FROM:
 * <pre>{@code
 * try (SmtpClientSession s = SmtpClientSession.connect(Dialer.direct(), address, "mx.example.org", options)) {
 *     s.ehlo();
 *     StartTlsOutcome tls = s.startTls(ClientTlsConfig.verifying(pkixContext, "mx.example.org"));
 *     if (!policy.allows(s.observation())) { s.quit(); return; }      // the second turn of the key
 *     DeliveryResult r = s.send(from, recipients, Map.of(), message);
 *     s.quit();
 * }
 * }</pre>
 * Reply-level refusals of RCPT and DATA are results; everything that ends the conversation is an
 * {@link SmtpClientException}. After any exception the connection is closed. Not thread-safe.
 */
public final class SmtpClientSession implements AutoCloseable {
    private static final int TRANSCRIPT_LINES = 2000;
    private final Wire wire;
    private final InetSocketAddress remote;
    private final String referenceName;
    private final ClientOptions options;
    private final Transcript transcript;
    private EhloResult ehlo;
    private StartTlsOutcome startTls;
    private TlsHandshakeResult handshake;
    private EphemeralKeyRecorder.KeyExchange keyExchange = EphemeralKeyRecorder.KeyExchange.UNKNOWN;

    private SmtpClientSession(Wire wire, InetSocketAddress remote, String referenceName, ClientOptions options,
                              Transcript transcript) {
        this.wire = wire;
        this.remote = remote;
        this.referenceName = referenceName;
        this.options = options;
        this.transcript = transcript;
    }

    /**
     * Connects and reads the greeting.
     *
     * @param referenceName the name the server should be (the MX host); used for TLS host-name checks and messages
     * @throws SmtpClientException at CONNECT (transient) or GREETING (the greeting was not 220; 5xx is permanent)
     */
    public static SmtpClientSession connect(Dialer dialer, InetSocketAddress address, String referenceName,
                                            ClientOptions options) throws SmtpClientException {
        Objects.requireNonNull(referenceName, "referenceName");
        Transcript transcript = new Transcript(Clock.systemUTC(), TRANSCRIPT_LINES);
        String host = referenceName + " (" + endpoint(address) + ")";
        transcript.event("connect " + host);
        Socket socket;
        try {
            socket = Objects.requireNonNull(dialer.dial(address, options.connectTimeout()), "dialer returned null");
        } catch (IOException e) {
            throw SmtpClientException.network(Phase.CONNECT, "(connect)", host, e);
        }
        Wire wire;
        try {
            wire = new Wire(socket, host, options, transcript, Clock.systemUTC());
        } catch (IOException e) {
            closeQuietly(socket);
            throw SmtpClientException.network(Phase.CONNECT, "(connect)", host, e);
        }
        SmtpClientSession session = new SmtpClientSession(wire, address, referenceName, options, transcript);
        Reply greeting = wire.readReply(Phase.GREETING, "(greeting)", options.commandTimeout());
        if (greeting.code() != 220) {
            throw wire.fail(SmtpClientException.rejected(Phase.GREETING, "(greeting)", greeting, host));
        }
        return session;
    }

    /**
     * Sends EHLO and parses the extensions; if EHLO gets 5xx (an old server), falls back to HELO
     * (RFC 5321 3.2).
     */
    public EhloResult ehlo() throws SmtpClientException {
        String command = "EHLO " + options.ehloName();
        Reply reply = exchange(Phase.EHLO, command);
        if (reply.code() / 100 == 2) {
            ehlo = EhloResult.fromEhlo(reply);
            return ehlo;
        }
        if (!reply.isPermanent()) {
            throw refused(Phase.EHLO, command, reply);
        }
        String helo = "HELO " + options.ehloName();
        Reply heloReply = exchange(Phase.EHLO, helo);
        if (heloReply.code() / 100 != 2) {
            throw refused(Phase.EHLO, helo, heloReply);
        }
        ehlo = EhloResult.fromHelo(heloReply);
        return ehlo;
    }

    /**
     * STARTTLS (RFC 3207) with exactly what {@code tls} allows. NOT_OFFERED and REFUSED leave the
     * plaintext session usable (whether to use it is the caller's policy); HANDSHAKE_FAILED closes the
     * connection. ESTABLISHED sends EHLO again over TLS, forgetting what the server said before (RFC 3207 4.2).
     *
     * @throws SmtpClientException if the connection breaks or the EHLO over TLS fails; octets the server sends
     *                             after its 220 before TLS starts (response injection, the mirror of
     *                             CVE-2011-0411) are dropped unread
     * @throws IllegalArgumentException if {@code tls} names protocols, suites or groups the provider lacks
     */
    public StartTlsOutcome startTls(ClientTlsConfig tls) throws SmtpClientException {
        SSLParameters params = TlsHandshake.parameters(tls);
        return startTls(String.join(",", tls.protocols()) + tls.sni().map(s -> ", SNI " + s).orElse(""),
                plain -> TlsHandshake.run(plain, tls, params, referenceName, options.commandTimeout()));
    }

    /**
     * STARTTLS as {@link #startTls(ClientTlsConfig)} does, but with the legacy engine of {@link LegacyTlsConfig}
     * (TLS 1.2 to 1.0, legacy suites): for unauthenticated TLS with a server the JDK cannot talk to.
     */
    public StartTlsOutcome startLegacyTls(LegacyTlsConfig tls) throws SmtpClientException {
        return startTls("TLSv1.2..TLSv1 (legacy engine)" + tls.sni().map(s -> ", SNI " + s).orElse(""),
                plain -> LegacyTlsHandshake.run(plain, tls, options.commandTimeout()));
    }

    private StartTlsOutcome startTls(String offer, java.util.function.Function<Socket, TlsHandshake.Outcome> handshaker)
            throws SmtpClientException {
        if (ehlo == null) {
            throw new IllegalStateException("call ehlo() before startTls(): STARTTLS must be advertised in EHLO");
        }
        if (startTls != null) {
            throw new IllegalStateException("startTls() was already called (outcome " + startTls.status() + ")");
        }
        if (!ehlo.supports("STARTTLS")) {
            startTls = new StartTlsOutcome(StartTlsOutcome.Status.NOT_OFFERED,
                    ehlo.heloFallback() ? "EHLO refused, HELO used: no extensions" : "EHLO reply has no STARTTLS keyword");
            return startTls;
        }
        Reply reply = exchange(Phase.STARTTLS, "STARTTLS");
        if (reply.code() != 220) {
            startTls = new StartTlsOutcome(StartTlsOutcome.Status.REFUSED, reply.summary());
            if (reply.code() == 421) {
                wire.close("server sent 421 to STARTTLS");
            }
            return startTls;
        }
        try {
            // RFC 3207 §4.2 and the response-injection attack: nothing the server sent before TLS may count, so
            // octets it sent after its 220 (a man in the middle's injected replies) are dropped, never parsed
            int injected = wire.discardUnsolicited();
            if (injected > 0) {
                transcript.event("discarded " + injected + " octets the server sent after its 220 to STARTTLS and "
                        + "before the TLS handshake (plaintext injected into the response stream)");
            }
        } catch (IOException e) {
            throw wire.fail(SmtpClientException.local(Phase.STARTTLS, "STARTTLS", false, host()
                    + ": connection broken after the 220 to STARTTLS: " + e.getMessage()));
        }
        transcript.event("TLS handshake: " + offer);
        TlsHandshake.Outcome outcome = handshaker.apply(wire.plainSocket());
        handshake = outcome.result();
        keyExchange = outcome.keyExchange();
        if (handshake instanceof TlsHandshakeResult.Failed f) {
            String detail = f.alert() + (f.alertFromPeer() ? " (alert from server)" : " (raised by client)") + ": " + f.message();
            startTls = new StartTlsOutcome(StartTlsOutcome.Status.HANDSHAKE_FAILED, detail);
            wire.close("TLS handshake failed: " + detail);
            return startTls;
        }
        TlsHandshakeResult.Established e = (TlsHandshakeResult.Established) handshake;
        transcript.event("TLS established: " + e.protocol().javaName() + " " + e.cipherSuite()
                + keyExchange.group().map(g -> " " + g).orElse("")
                + keyExchange.dhBits().map(b -> " DH " + b + " bit").orElse(""));
        try {
            wire.upgrade(outcome.socket());
        } catch (IOException ex) {
            throw wire.fail(SmtpClientException.network(Phase.STARTTLS, "STARTTLS", host(), ex));
        }
        startTls = StartTlsOutcome.established();
        ehlo = null;
        ehlo();
        return startTls;
    }

    /**
     * The session as it is now, for the caller's policy to judge before MAIL FROM. The key-exchange group and
     * DH size are what the server's key share showed ({@link EphemeralKeyRecorder}); both are empty for a
     * resumed session (no key share in a TLS 1.2 abbreviated handshake; TLS 1.3 PSK resumption shows one).
     *
     * @throws IllegalStateException before {@link #startTls} was called
     */
    public SessionObservation observation() {
        if (startTls == null) {
            throw new IllegalStateException("call startTls() first: the observation describes its outcome");
        }
        if (handshake instanceof TlsHandshakeResult.Established e && startTls.isEstablished()) {
            return new SessionObservation(referenceName, endpoint(remote), startTls, Optional.of(e.protocol()),
                    Optional.of(e.cipherSuite()), keyExchange.group(), keyExchange.dhBits(), e.peerChain(), e.sni());
        }
        return new SessionObservation(referenceName, endpoint(remote), startTls, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    /** The handshake's result (with the alert if it failed), if STARTTLS got as far as a handshake. */
    public Optional<TlsHandshakeResult> handshake() {
        return Optional.ofNullable(handshake);
    }

    /** The current EHLO result (the one over TLS after STARTTLS), if EHLO was done. */
    public Optional<EhloResult> ehloResult() {
        return Optional.ofNullable(ehlo);
    }

    /**
     * One mail transaction (see {@link MailTransaction}).
     *
     * @param mailFrom   the reverse-path mailbox, "" for the null sender (bounces)
     * @param recipients forward-path mailboxes, at least one, no duplicates
     * @param mailParams extra MAIL FROM parameters (e.g. "REQUIRETLS" → ""); SIZE, BODY and SMTPUTF8 are set here
     * @param message    the message with CRLF line endings, not dot-stuffed
     * @throws SmtpClientException if MAIL is refused, the message cannot be sent to this server (e.g. SMTPUTF8
     *                             needed but not offered: permanent), or the connection fails
     */
    public DeliveryResult send(String mailFrom, List<String> recipients, Map<String, String> mailParams, byte[] message)
            throws SmtpClientException {
        if (ehlo == null) {
            throw new IllegalStateException("call ehlo() (and startTls()) before send()");
        }
        return new MailTransaction(this, wire, ehlo, options).run(mailFrom, recipients, mailParams, message);
    }

    /**
     * RSET (RFC 5321 §4.1.1.5): ends any transaction and leaves the session ready for the next {@link #send}. A
     * relay sending several messages over one connection calls it between them; it also proves the connection is
     * still alive before the next MAIL FROM.
     *
     * @throws SmtpClientException if the server does not answer 250 (the connection is then closed) or the
     *                             connection is broken
     * @throws IllegalStateException before {@link #ehlo()}
     */
    public void reset() throws SmtpClientException {
        if (ehlo == null) {
            throw new IllegalStateException("call ehlo() before reset(): there is no session to reset yet");
        }
        Reply reply = exchange(Phase.MAIL, "RSET");
        if (reply.code() != 250) {
            throw refused(Phase.MAIL, "RSET", reply);
        }
    }

    /** True while the connection is open (no exception, 421, QUIT or close has ended it). */
    public boolean isOpen() {
        return wire.isOpen();
    }

    /** Sends QUIT and closes; errors are ignored (the mail is already delivered or not). */
    public void quit() {
        if (wire.isOpen()) {
            try {
                exchange(Phase.QUIT, "QUIT");
            } catch (SmtpClientException ignored) {
                // the server may close first
            }
        }
        wire.close("QUIT");
    }

    /** Closes the connection without QUIT. */
    @Override
    public void close() {
        wire.close("closed by client");
    }

    /** Everything said on this connection, timestamped; message content is summarised, AUTH redacted. */
    public Transcript transcript() {
        return transcript;
    }

    public String referenceName() {
        return referenceName;
    }

    /** Writes one command and reads its reply; a 421 closes the connection and is thrown. */
    Reply exchange(Phase phase, String command) throws SmtpClientException {
        wire.writeCommands(phase, List.of(command), options.commandTimeout());
        Reply reply = wire.readReply(phase, command, options.commandTimeout());
        if (reply.code() == 421 && phase != Phase.QUIT && phase != Phase.STARTTLS) {
            throw wire.fail(SmtpClientException.rejected(phase, command, reply, host()));
        }
        return reply;
    }

    SmtpClientException refused(Phase phase, String command, Reply reply) {
        SmtpClientException e = SmtpClientException.rejected(phase, command, reply, host());
        return wire.fail(e);
    }

    String host() {
        return referenceName + " (" + endpoint(remote) + ")";
    }

    static MailPath parsePath(String mailbox, boolean reverse, Phase phase) throws SmtpClientException {
        try {
            String wire = "<" + mailbox + ">";
            return (reverse ? MailPath.parseReversePath(wire) : MailPath.parseForwardPath(wire)).path();
        } catch (AddressSyntaxException e) {
            throw SmtpClientException.local(phase, (reverse ? "MAIL FROM:" : "RCPT TO:") + "<...>", true,
                    "cannot send to/from " + SmtpClientException.quote(mailbox) + ": " + e.getMessage());
        }
    }

    static String endpoint(InetSocketAddress a) {
        String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        boolean v6 = a.getAddress() instanceof Inet6Address || h.contains(":");
        return (v6 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

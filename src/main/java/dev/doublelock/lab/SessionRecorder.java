package dev.doublelock.lab;

import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.smtp.server.CloseReason;
import dev.doublelock.smtp.server.ConnectionInfo;
import dev.doublelock.smtp.server.ReceivedMessage;
import dev.doublelock.smtp.server.SessionHandler;
import dev.doublelock.tls.TlsHandshakeResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watches one SMTP session on a lab endpoint and, when it ends, turns what the sender did into a
 * {@link SessionRecord} with a {@link Verdict}. Accepts any recipient at the lab; keeps no body, except of mail to
 * the TLS report mailbox ({@link TlsReportInbox}), which is read whole and answered by the inbox.
 */
final class SessionRecorder implements SessionHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionRecorder.class);
    private LabProfile profile;
    /** On the SNI listener: which profile the handshake's server name chose (else null: the profile is fixed). */
    private final SniTls sniTls;
    /** The endpoint's name in the records when it is not the profile's (an MTA-STS scenario's); else null. */
    private final String recordedAs;
    private final ConnectionInfo connection;
    private final RecordStore store;
    private final Clock clock;
    private final Consumer<SessionRecord> listener;
    private final int keepBodyBytes;
    private final TlsReportInbox reports;
    private boolean reportTransaction;
    private boolean actedOnInjectedReply;
    private byte[] body;

    private String ehloName = "";
    private String startTls = "not-tried";
    private String tlsProtocol;
    private String tlsCipher;
    private String sni;
    private String alert;
    private boolean tlsEstablished;
    private String mailFrom;
    private final List<String> rcptTo = new ArrayList<>();
    private final List<String> transactionRcpts = new ArrayList<>();
    private final List<String> messageIds = new ArrayList<>();
    private String transactionFrom;
    private long size;
    private String messageId;
    private String subject;
    private int messages;
    private int injectedBytes;
    private boolean deliveredWithoutTls;
    private boolean deliveredOverTls;

    SessionRecorder(LabProfile profile, ConnectionInfo connection, RecordStore store, Clock clock,
                    Consumer<SessionRecord> listener, int keepBodyBytes, TlsReportInbox reports) {
        this(profile, null, null, connection, store, clock, listener, keepBodyBytes, reports);
    }

    /**
     * @param profile    whose TLS the endpoint serves, which decides "delivered" against "delivered insecurely"
     * @param recordedAs the endpoint's name in the records: an MTA-STS scenario's (the profile's is the default)
     */
    SessionRecorder(LabProfile profile, String recordedAs, ConnectionInfo connection, RecordStore store, Clock clock,
                    Consumer<SessionRecord> listener, int keepBodyBytes, TlsReportInbox reports) {
        this(profile, null, recordedAs.equals(profile.profileName()) ? null : recordedAs, connection, store, clock,
                listener, keepBodyBytes, reports);
    }

    /**
     * A session on the SNI listener: recorded as good until a TLS handshake names another profile (see
     * {@link SniTls}, which serves that profile's TLS for the same name).
     */
    static SessionRecorder onSniListener(SniTls tls, ConnectionInfo connection, RecordStore store, Clock clock,
                                         Consumer<SessionRecord> listener, int keepBodyBytes, TlsReportInbox reports) {
        return new SessionRecorder(LabProfile.GOOD, tls, null, connection, store, clock, listener, keepBodyBytes, reports);
    }

    private SessionRecorder(LabProfile profile, SniTls sniTls, String recordedAs, ConnectionInfo connection,
                            RecordStore store, Clock clock, Consumer<SessionRecord> listener, int keepBodyBytes,
                            TlsReportInbox reports) {
        this.sniTls = sniTls;
        this.recordedAs = recordedAs;
        this.keepBodyBytes = keepBodyBytes;
        this.reports = reports;
        this.profile = profile;
        this.connection = connection;
        this.store = store;
        this.clock = clock;
        this.listener = listener;
    }

    /** The name the session is recorded under: the MTA-STS scenario's, else the (possibly SNI-chosen) profile's. */
    private String recordedName() {
        return recordedAs != null ? recordedAs : profile.profileName();
    }

    @Override
    public void onHelo(String verb, String name) {
        ehloName = name == null ? "" : name;
    }

    @Override
    public void onStartTls(TlsHandshakeResult result) {
        switch (result) {
            case TlsHandshakeResult.Established e -> {
                startTls = "established";
                tlsEstablished = true;
                tlsProtocol = e.protocol().javaName();
                tlsCipher = e.cipherSuite();
                sni = e.sni().orElse(null);
            }
            case TlsHandshakeResult.Failed f -> {
                startTls = "failed";
                // the sender's alert is what the record is about; when the lab itself aborted, say so
                alert = f.alertFromPeer() || f.alert().equals(TlsHandshakeResult.Failed.CLOSED)
                        || f.alert().equals(TlsHandshakeResult.Failed.TIMEOUT) ? f.alert() : "lab: " + f.alert();
                sni = f.sni().orElse(null);
            }
        }
        if (sniTls != null) {
            java.util.Optional<SniTls.Choice> choice = sniTls.take(connection.remote());
            if (choice.isPresent()) {
                profile = choice.get().profile();
                if (sni == null) sni = choice.get().serverName().orElse(null);
            }
        }
    }

    @Override
    public void onStartTlsRefused(Reply reply) {
        startTls = "refused-454";
    }

    @Override
    public void onStartTlsInjection(int discardedBytes) {
        injectedBytes += discardedBytes;
    }

    @Override
    public Reply onMail(MailPath from, Map<String, String> params) {
        transactionFrom = from.isNull() ? "" : from.address().toString();
        transactionRcpts.clear();
        reportTransaction = false;
        return Replies.OK;
    }

    @Override
    public void onInjectedReplyTaken(String command) {
        actedOnInjectedReply = true;
    }

    @Override
    public Reply onRcpt(MailPath to, Map<String, String> params) {
        transactionRcpts.add(to.address().toString());
        if (TlsReportInbox.isReportAddress(to.address().toString())) reportTransaction = true;
        return Replies.OK;
    }

    /**
     * The lab looks only at the header and keeps at most {@code keepBodyBytes}: the rest of a message is counted and
     * dropped, so concurrent large messages cost the lab no memory.
     */
    @Override
    public long contentToKeep() {
        if (reportTransaction) return TlsReportInbox.MAX_REPORT_MAIL; // a TLS report is read whole (bounded)
        return Math.max(MessageHeaders.MAX_HEADER_BYTES, keepBodyBytes);
    }

    @Override
    public Reply onMessage(ReceivedMessage message) {
        messages++;
        mailFrom = transactionFrom;
        rcptTo.addAll(transactionRcpts);
        size += message.size();
        MessageHeaders headers = MessageHeaders.of(message.content());
        headers.first("Message-ID").ifPresent(id -> {
            if (messageIds.size() < 1000) messageIds.add(id.replace(' ', '_'));
        });
        if (messageId == null) messageId = headers.first("Message-ID").orElse(null);
        subject = headers.first("Subject").orElse(subject);
        if (keepBodyBytes > 0 && body == null) {
            body = java.util.Arrays.copyOf(message.content(), Math.min(keepBodyBytes, message.content().length));
        }
        if (tlsEstablished) deliveredOverTls = true;
        else deliveredWithoutTls = true;
        if (reportTransaction) {
            reportTransaction = false;
            return reports.acceptMail(message.content(), message.size(), connection.remote().getAddress().getHostAddress());
        }
        return Replies.OK_QUEUED("lab-" + connection.sessionId() + "-" + messages);
    }

    @Override
    public void onReset() {
        reportTransaction = false;
        transactionRcpts.clear();
        transactionFrom = null;
    }

    @Override
    public void onClose(CloseReason reason) {
        if (sniTls != null) sniTls.take(connection.remote()); // a handshake that never reported leaves nothing behind
        Instant now = clock.instant();
        Verdict verdict = verdict(now);
        SessionRecord record = new SessionRecord(-1, connection.sessionId(), connection.connectedAt(), now,
                recordedName(), connection.local().getPort(),
                connection.remote().getAddress().getHostAddress(), ehloName, startTls, tlsProtocol, tlsCipher, sni, alert,
                tlsEstablished && messages == 0, mailFrom, rcptTo, size, messageId, subject, messages, injectedBytes,
                reason.name(), verdict, body, messageIds);
        try {
            listener.accept(store.insert(record));
        } catch (RuntimeException e) {
            LOG.error("lab: could not record session {} on {}: {}", connection.sessionId(), recordedName(), e.getMessage(), e);
        }
    }

    private Verdict verdict(Instant now) {
        if (actedOnInjectedReply) return Verdict.ACTED_ON_INJECTED_REPLY;
        if (deliveredOverTls) {
            if (profile.expectation().delivers()) return Verdict.DELIVERED;
            return profile.expectation() == SenderExpectation.DEFER ? Verdict.DELIVERED_DESPITE_DANE
                    : Verdict.DELIVERED_INSECURELY;
        }
        if (deliveredWithoutTls) {
            boolean refusedBefore = !startTls.equals("not-tried")
                    || store.hadRefusedTls(recordedName(), connection.remote().getAddress().getHostAddress(),
                    ehloName, now);
            return refusedBefore ? Verdict.PLAINTEXT_FALLBACK : Verdict.NO_TLS_DELIVERED;
        }
        if (startTls.equals("failed")) return Verdict.REFUSED_AT_HANDSHAKE;
        if (tlsEstablished) return Verdict.REFUSED_AFTER_HANDSHAKE;
        return Verdict.ABANDONED;
    }
}

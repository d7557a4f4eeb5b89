package dev.doublelock.smtp.server;

import dev.doublelock.io.Transcript;
import dev.doublelock.smtp.MailPath;
import dev.doublelock.smtp.Replies;
import dev.doublelock.smtp.Reply;
import dev.doublelock.tls.TlsHandshakeResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every callback, as the lab will. */
final class RecordingHandler implements SessionHandler {
    final ConnectionInfo info;
    final List<String> helos = new CopyOnWriteArrayList<>();
    final List<TlsHandshakeResult> tls = new CopyOnWriteArrayList<>();
    final List<Integer> injections = new CopyOnWriteArrayList<>();
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger mailCalls = new AtomicInteger();
    final AtomicInteger rcptCalls = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    volatile Transcript transcript;

    RecordingHandler(ConnectionInfo info) {
        this.info = info;
    }

    @Override
    public void onHelo(String verb, String name) {
        helos.add(verb + " " + name);
    }

    @Override
    public void onStartTls(TlsHandshakeResult result) {
        tls.add(result);
    }

    @Override
    public void onStartTlsInjection(int discardedBytes) {
        injections.add(discardedBytes);
    }

    @Override
    public Reply onMail(MailPath from, Map<String, String> params) {
        mailCalls.incrementAndGet();
        return Replies.SENDER_OK;
    }

    @Override
    public Reply onRcpt(MailPath to, Map<String, String> params) {
        rcptCalls.incrementAndGet();
        return Replies.RECIPIENT_OK;
    }

    @Override
    public Reply onMessage(ReceivedMessage msg) {
        messages.add(msg);
        return Replies.OK_QUEUED(msg.connection().sessionId());
    }

    @Override
    public void onReset() {
        resets.incrementAndGet();
    }

    @Override
    public void onClose(CloseReason reason, Transcript transcript) {
        this.transcript = transcript;
        closed.complete(reason);
    }

    CloseReason awaitClose() throws Exception {
        return closed.get(20, TimeUnit.SECONDS);
    }
}

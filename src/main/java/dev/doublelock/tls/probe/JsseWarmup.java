package dev.doublelock.tls.probe;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads the JDK's TLS client once per process, while the record-level probes run, so the renegotiation and
 * STARTTLS-injection probes (which complete real handshakes through JSSE) do not pay for it on the critical path:
 * a context, an engine and one ClientHello written to a buffer (key shares included). The same for BouncyCastle's
 * low-level TLS client, which the resumption probe drives. No connection.
 */
final class JsseWarmup {
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private JsseWarmup() {
    }

    static void warm() {
        if (!DONE.compareAndSet(false, true)) return;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, null, null);
            SSLEngine engine = ctx.createSSLEngine("warmup.invalid", 25);
            engine.setUseClientMode(true);
            engine.beginHandshake();
            ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), net);
            engine.closeOutbound();
        } catch (Exception | LinkageError e) {
            // only an optimisation: the probes report their own JSSE failures
        }
        try {
            org.bouncycastle.tls.TlsClientProtocol bc = new org.bouncycastle.tls.TlsClientProtocol(); // non-blocking: no socket
            bc.connect(new org.bouncycastle.tls.DefaultTlsClient(
                    new org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto(new java.security.SecureRandom())) {
                @Override
                public org.bouncycastle.tls.TlsAuthentication getAuthentication() throws java.io.IOException {
                    throw new org.bouncycastle.tls.TlsFatalAlert(org.bouncycastle.tls.AlertDescription.internal_error);
                }
            });
            byte[] hello = new byte[bc.getAvailableOutputBytes()];
            bc.readOutput(hello, 0, hello.length);
            bc.close();
        } catch (Exception | LinkageError e) {
            // only an optimisation
        }
    }
}

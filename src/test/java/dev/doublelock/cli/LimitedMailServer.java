package dev.doublelock.cli;

import dev.doublelock.tls.pki.CertifiedKey;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback receiver for the checker's transport and politeness tests, with JSSE's default TLS 1.2/1.3 setup:
 * SMTP with STARTTLS, SMTP over implicit TLS (handshake, then the greeting) or plain TLS. It allows at most
 * {@code limit} connections at once and answers "421 4.7.0" beyond (before TLS, in every mode that speaks SMTP
 * first; plain and implicit TLS just close), the way Exim and Postfix treat a client over its connection limit. A
 * finished connection keeps its slot for {@code lingerMillis} more, as an MTA's process outlives the client's reset.
 * {@code totalLimit} (if &gt; 0) makes every connection after that many answered ones get 421: a receiver that never
 * lets the prober finish. Every read has a timeout and a length bound.
 */
final class LimitedMailServer implements AutoCloseable {
    enum Mode { STARTTLS, IMPLICIT, PLAIN }

    private final ServerSocket listener;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final SSLContext tls;
    private final Mode mode;
    private final Semaphore slots;
    private final long lingerMillis;
    private final int totalLimit;
    final AtomicInteger turnedAway = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    /** The most slots held at once (connections open or lingering): what the limit counts. */
    final AtomicInteger maxSeen = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();

    LimitedMailServer(CertifiedKey key, Mode mode, int limit, long lingerMillis, int totalLimit) throws Exception {
        this(key, mode, limit, lingerMillis, totalLimit, InetAddress.getLoopbackAddress(), 0);
    }

    /** Bound to {@code address:port} (port 0: any), e.g. one of several loopback addresses sharing one port. */
    LimitedMailServer(CertifiedKey key, Mode mode, int limit, long lingerMillis, int totalLimit, InetAddress address, int port)
            throws Exception {
        this.listener = new ServerSocket(port, 200, address);
        this.tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[]{key.keyManager()}, null, null);
        this.mode = mode;
        this.slots = new Semaphore(limit);
        this.lingerMillis = lingerMillis;
        this.totalLimit = totalLimit;
        pool.submit(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                pool.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        boolean slot = slots.tryAcquire();
        if (slot) maxSeen.accumulateAndGet(held.incrementAndGet(), Math::max);
        try (s) {
            s.setSoTimeout(5_000);
            if (!slot || totalLimit > 0 && served.get() >= totalLimit) {
                turnedAway.incrementAndGet();
                if (mode == Mode.STARTTLS) write(s.getOutputStream(), "421 4.7.0 mx.test too many connections from your address\r\n");
                return;
            }
            served.incrementAndGet();
            session(s);
        } catch (IOException | RuntimeException ignored) {
            // the prober hangs up after the server's first flight: expected
        } finally {
            if (slot) {
                try {
                    Thread.sleep(lingerMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                held.decrementAndGet();
                slots.release();
            }
        }
    }

    private void session(Socket s) throws IOException {
        if (mode == Mode.STARTTLS) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            write(out, "220 mx.test ESMTP\r\n");
            if (!line(in).startsWith("EHLO ")) return;
            write(out, "250-mx.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
            if (!line(in).equals("STARTTLS")) return;
            write(out, "220 2.0.0 go ahead\r\n");
        }
        SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
        t.setUseClientMode(false);
        t.startHandshake();
        if (mode == Mode.IMPLICIT) { // RFC 8314 §3.3: the greeting comes after the handshake
            write(t.getOutputStream(), "220 mx.test ESMTP\r\n");
            if (line(t.getInputStream()).startsWith("EHLO ")) write(t.getOutputStream(), "250 mx.test\r\n");
        }
        t.close();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0 || b.size() > 512) return "";
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII).strip();
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pool.shutdownNow();
    }
}

package dev.doublelock.tls.probe;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback JSSE server on port 0 for prober tests: TLS from the first byte, or behind a tiny SMTP front
 * (greeting, EHLO with or without STARTTLS, 220 or a refusal, then TLS on the same socket).
 */
final class JsseTestServer implements AutoCloseable {
    enum Front { TLS, SMTP, SMTP_NO_STARTTLS, SMTP_REFUSE }

    private final ServerSocket listener;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final SSLContext context;
    private final String[] protocols;
    private final String[] suites;
    private final String[] groups;
    private final Front front;
    final AtomicInteger connections = new AtomicInteger();

    JsseTestServer(SSLContext context, Front front, String[] protocols, String[] suites, String[] groups) throws IOException {
        this.context = context;
        this.front = front;
        this.protocols = protocols;
        this.suites = suites;
        this.groups = groups;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.incrementAndGet();
                pool.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            if (front != Front.TLS && !smtp(s)) return;
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(s, null, s.getPort(), true);
            tls.setUseClientMode(false);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(protocols);
            if (suites != null) p.setCipherSuites(suites);
            if (groups != null) p.setNamedGroups(groups);
            tls.setSSLParameters(p);
            tls.startHandshake();
            tls.close();
        } catch (IOException | RuntimeException ignored) {
            // the prober hangs up after the server's first flight: expected
        }
    }

    private boolean smtp(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII), 1);
        OutputStream out = s.getOutputStream();
        write(out, "220-test.invalid ESMTP\r\n220 ready\r\n");
        String ehlo = in.readLine();
        if (ehlo == null || !ehlo.startsWith("EHLO ")) return false;
        write(out, "250-test.invalid hello\r\n250-PIPELINING\r\n"
                + (front == Front.SMTP_NO_STARTTLS ? "" : "250-STARTTLS\r\n") + "250 8BITMIME\r\n");
        String cmd = in.readLine();
        if (cmd == null || !cmd.equals("STARTTLS")) return false;
        if (front == Front.SMTP_REFUSE) {
            write(out, "454 4.7.0 TLS not available due to local problem\r\n");
            return false;
        }
        write(out, "220 2.0.0 go ahead\r\n");
        return true;
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

package dev.doublelock.relay.delivery;

import dev.doublelock.lab.LabProfile;
import dev.doublelock.queue.Attempt;
import dev.doublelock.queue.Envelope;
import dev.doublelock.queue.QueueStore;
import dev.doublelock.queue.QueueStores;
import dev.doublelock.queue.RetrySchedule;
import dev.doublelock.queue.State;
import dev.doublelock.smtp.client.ClientOptions;
import dev.doublelock.smtp.client.Dialer;
import dev.doublelock.testing.LabProcess;
import dev.doublelock.testing.MutableClock;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS-1.0-only receiver whose TLS library answers a ClientHello that offers only versions it lacks (the
 * supported_versions extension of a TLS 1.3 client) with a handshake_failure alert, as GnuTLS (Exim's default)
 * does, instead of OpenSSL's protocol_version. Emulated at the record level by a proxy in front of the lab's
 * tls-1.0-only profile: the relay must still call it PROTOCOL_NOT_RECOMMENDED, not CIPHER_NOT_RECOMMENDED.
 */
@Timeout(120)
class GnuTlsLikeReceiverTest {
    @TempDir
    Path labDir;
    @TempDir
    Path dir;

    @Test
    void handshakeFailureForAVersionItLacksIsReportedAsTheProtocolNotTheCipher() throws Exception {
        try (LabProcess lab = LabProcess.start(labDir);
             VersionRefusingProxy proxy = new VersionRefusingProxy(lab.port(LabProfile.TLS_1_0_ONLY.profileName()));
             QueueStore store = QueueStores.open(dir.resolve("queue.db").toString(), MutableClock.now())) {
            X509Certificate ca = Pem.readCertificates(lab.caFile()).get(0);
            DeliveryOptions o = DeliveryOptions.defaults("gnutls.relay.test").withTrust(List.of(ca), false)
                    .withSchedule(RetrySchedule.defaults().withSteps(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(2))
                            .withJitter(0).withGiveUpAfter(Duration.ofMinutes(10)).withDelayNoticeAfter(Duration.ofDays(1))
                            .withRandom(new Random(7)))
                    .withClientOptions(ClientOptions.defaults("gnutls.relay.test")
                            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(15)));
            Router router = Router.staticOnly(Map.of("gnutls.lab.test", List.of("127.0.0.1:" + proxy.port())));
            long id = store.enqueue(new Envelope("alice@example.org", List.of("bob@gnutls.lab.test")),
                    "Subject: t\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII));
            try (DeliveryWorker w = new DeliveryWorker(store, router, o, Dialer.direct(), MutableClock.now())) {
                w.runOnce();
            }
            assertThat(proxy.hellos).as("the JDK's ClientHello refused, the diagnostic legacy one passed on")
                    .containsExactly("refused", "forwarded");
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(State.DEFERRED);
            Attempt a = store.attempts(id).get(0);
            assertThat(a.outcome()).isEqualTo("refused");
            assertThat(a.findingCodes()).contains("PROTOCOL_NOT_RECOMMENDED", "NO_RECOMMENDED_PROTOCOL")
                    .doesNotContain("CIPHER_NOT_RECOMMENDED");
            assertThat(a.findingsText()).contains("handshake_failure").contains("TLS 1.0");
        }
    }

    /**
     * Passes SMTP through to {@code upstreamPort}; after STARTTLS reads the client's first TLS record and, if it is a
     * ClientHello whose supported_versions list has nothing below TLS 1.2, answers with a fatal handshake_failure
     * alert and closes (what GnuTLS with only TLS 1.0 enabled does); otherwise passes everything on.
     */
    static final class VersionRefusingProxy implements AutoCloseable {
        final List<String> hellos = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final int upstreamPort;
        private final Thread acceptor;

        VersionRefusingProxy(int upstreamPort) throws IOException {
            this.upstreamPort = upstreamPort;
            acceptor = new Thread(this::acceptLoop, "gnutls-like-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread t = new Thread(() -> serve(client), "gnutls-like-proxy-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket client) {
            try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                client.setSoTimeout(20_000);
                upstream.setSoTimeout(20_000);
                Thread down = pump(upstream.getInputStream(), client.getOutputStream());
                InputStream in = client.getInputStream();
                OutputStream up = upstream.getOutputStream();
                if (!forwardLinesUntilStartTls(in, up)) {
                    return;
                }
                DataInputStream d = new DataInputStream(in);
                byte[] header = new byte[5];
                d.readFully(header);
                int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                if (header[0] != 0x16 || length > 16_384) {
                    return;
                }
                byte[] body = new byte[length];
                d.readFully(body);
                if (offersOnlyTls12AndUp(body)) {
                    hellos.add("refused");
                    OutputStream out = client.getOutputStream();
                    out.write(new byte[] {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28}); // fatal handshake_failure
                    out.flush();
                    return;
                }
                hellos.add("forwarded");
                up.write(header);
                up.write(body);
                up.flush();
                in.transferTo(up);
                down.join(20_000);
            } catch (IOException | InterruptedException e) {
                // the connection ends
            }
        }

        private static boolean forwardLinesUntilStartTls(InputStream in, OutputStream up) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                up.write(b);
                line.write(b);
                if (line.size() > 1024) {
                    return false;
                }
                if (b == '\n') {
                    up.flush();
                    String text = line.toString(StandardCharsets.US_ASCII).strip();
                    line.reset();
                    if (text.equalsIgnoreCase("STARTTLS")) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** True if the ClientHello carries supported_versions (RFC 8446 §4.2.1) listing nothing below 0x0303. */
        static boolean offersOnlyTls12AndUp(byte[] hs) {
            if (hs.length < 4 || hs[0] != 1) {
                return false;
            }
            int p = 4 + 2 + 32;
            p += 1 + (hs[p] & 0xff);
            p += 2 + (((hs[p] & 0xff) << 8) | (hs[p + 1] & 0xff));
            p += 1 + (hs[p] & 0xff);
            if (p + 2 > hs.length) {
                return false;
            }
            int end = Math.min(hs.length, p + 2 + (((hs[p] & 0xff) << 8) | (hs[p + 1] & 0xff)));
            p += 2;
            while (p + 4 <= end) {
                int type = ((hs[p] & 0xff) << 8) | (hs[p + 1] & 0xff);
                int len = ((hs[p + 2] & 0xff) << 8) | (hs[p + 3] & 0xff);
                if (type == 0x002b) {
                    for (int i = p + 5; i + 1 < p + 4 + len; i += 2) {
                        int v = ((hs[i] & 0xff) << 8) | (hs[i + 1] & 0xff);
                        if (v < 0x0303) {
                            return false;
                        }
                    }
                    return true;
                }
                p += 4 + len;
            }
            return false;
        }

        private static Thread pump(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try {
                    from.transferTo(to);
                } catch (IOException e) {
                    // closed
                }
            }, "gnutls-like-proxy-down");
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

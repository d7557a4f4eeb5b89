package dev.doublelock.io;

import dev.doublelock.testing.TestTls;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bounded HTTPS client of the MTA-STS policy fetch and the TLS report POST against a real TLS server on loopback
 * that answers with canned bytes: a normal answer, and the malformed or oversized ones a hostile host can send —
 * each an IOException with what was wrong, never a runtime exception, never more than the cap kept.
 */
class ResolvedHttpsTest {
    static final String HOST = "collector.test";
    static CertifiedKey key;
    static SSLContext client;
    SSLServerSocket server;
    Thread serving;

    @BeforeAll
    static void pki() {
        key = new CertificateBuilder().ecdsa("secp256r1").subject("/CN=" + HOST).dnsNames(HOST).build();
        client = TestTls.trusting(key.chain().get(0));
    }

    /** Serves one connection: reads the request head, answers {@code answer}, closes. */
    private int serve(String answer) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[]{key.keyManager()}, null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        serving = Thread.ofVirtual().start(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] last4 = new byte[4];
                int b;
                while ((b = in.read()) >= 0) { // to the end of the request head
                    System.arraycopy(last4, 1, last4, 0, 3);
                    last4[3] = (byte) b;
                    if (new String(last4, StandardCharsets.US_ASCII).equals("\r\n\r\n")) break;
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (IOException ignored) {
                // the client may hang up first (a cap reached)
            }
        });
        return server.getLocalPort();
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) server.close();
        if (serving != null) serving.join(5000);
    }

    private ResolvedHttps.Response get(int port, int cap) throws IOException {
        return ResolvedHttps.get(client, HOST, port, List.of(InetAddress.getLoopbackAddress()), "/x", Duration.ofSeconds(5), cap);
    }

    @Test
    void aNormalAnswerIsReadWhole() throws Exception {
        int port = serve("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
        ResolvedHttps.Response r = get(port, 100);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).contains("text/plain");
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void aChunkedAnswerIsJoined() throws Exception {
        int port = serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n");
        assertThat(new String(get(port, 100).body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void aNegativeContentLengthIsMalformed() throws Exception {
        int port = serve("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello");
        assertThatThrownBy(() -> get(port, 100)).isInstanceOf(IOException.class).hasMessageContaining("malformed Content-Length");
    }

    @Test
    void bodiesPastTheCapAreRefusedHoweverTheyAreSent() throws Exception {
        int declared = serve("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(1000));
        assertThatThrownBy(() -> get(declared, 100)).isInstanceOf(ResolvedHttps.BodyTooLarge.class);
        close();
        int chunked = serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + "a".repeat(100) + "\r\n1\r\nb\r\n0\r\n\r\n");
        assertThatThrownBy(() -> get(chunked, 100)).isInstanceOf(ResolvedHttps.BodyTooLarge.class);
        close();
        int toTheEnd = serve("HTTP/1.1 200 OK\r\n\r\n" + "a".repeat(101));
        assertThatThrownBy(() -> get(toTheEnd, 100)).isInstanceOf(ResolvedHttps.BodyTooLarge.class);
    }

    @Test
    void endlessHeadersAndBrokenChunksAreMalformed() throws Exception {
        int headers = serve("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(ResolvedHttps.MAX_HEADER_BYTES + 10) + "\r\n\r\n");
        assertThatThrownBy(() -> get(headers, 100)).isInstanceOf(IOException.class);
        close();
        int chunk = serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        assertThatThrownBy(() -> get(chunk, 100)).isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size");
        close();
        int shortBody = serve("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhello");
        assertThatThrownBy(() -> get(shortBody, 100)).isInstanceOf(IOException.class).hasMessageContaining("ended after 5 of 50");
    }

    @Test
    void theHostNameIsVerified() throws Exception {
        int port = serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThatThrownBy(() -> ResolvedHttps.get(client, "other.test", port, List.of(InetAddress.getLoopbackAddress()), "/x",
                Duration.ofSeconds(5), 100)).isInstanceOf(IOException.class);
    }
}

package dev.doublelock.lab;

import dev.doublelock.testing.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The starttls-response-injection profile (issue 11): the lab's 220 to STARTTLS comes with an injected plaintext
 * EHLO reply. A sender that takes it as the server's answer inside TLS is recorded ACTED_ON_INJECTED_REPLY; one that
 * discards it (Python's smtplib, the doublelock relay: see LabDeliveryTest) delivers normally. swaks is judged against its own transcript, and a deliberately
 * vulnerable client (it keeps lines read ahead before the handshake) must be caught.
 */
@Timeout(120)
class ResponseInjectionSendersTest {
    @TempDir
    static Path data;
    static Lab lab;
    static int port;

    @BeforeAll
    static void startLab() throws Exception {
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
        port = lab.endpoint(LabProfile.RESPONSE_INJECTION).port();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    static SessionRecord record(String ehlo) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            SessionRecord r = lab.records().all(0).stream().filter(x -> ehlo.equals(x.ehloName())).findFirst().orElse(null);
            if (r != null) return r;
            Thread.sleep(50);
        }
        throw new AssertionError("no record for " + ehlo);
    }

    @Test
    void aClientThatKeepsLinesReadAheadBeforeTlsIsCaught() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            Deque<String> lines = new ArrayDeque<>();
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            readInto(in, lines);
            out.write("EHLO naive.test\r\n".getBytes(StandardCharsets.US_ASCII));
            readInto(in, lines);
            lines.clear();
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200); // the 220 and the injected reply arrive together; this client reads them all ahead
            readInto(in, lines);
            assertThat(lines.pollFirst()).startsWith("220");
            assertThat(lines).as("the injected reply, read ahead").isNotEmpty();
            SSLSocket tls = (SSLSocket) trustingLab().getSocketFactory().createSocket(s, "localhost", port, true);
            tls.startHandshake();
            OutputStream tout = tls.getOutputStream();
            tout.write("EHLO naive.test\r\n".getBytes(StandardCharsets.US_ASCII));
            // the defect: the next "reply" comes from the queue of lines read before TLS, so MAIL goes out at once
            while (!lines.isEmpty() && lines.pollFirst().charAt(3) == '-') {
                // consume the injected multi-line reply
            }
            tout.write("MAIL FROM:<naive@sender.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            tout.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            tout.flush();
            try {
                tls.getInputStream().readAllBytes(); // the lab's replies, until it closes after QUIT's 221
            } catch (IOException closedOrStillOpen) {
                // closed without close_notify, or still open after the socket's 10 s: the record below says what it saw
            }
        }
        assertThat(record("naive.test").verdict()).isEqualTo(Verdict.ACTED_ON_INJECTED_REPLY);
        assertThat(Verdict.ACTED_ON_INJECTED_REPLY.failsTest()).isTrue();
    }

    @Test
    void pythonSmtplibDiscardsTheInjectedReplyAndDeliversNormally() throws Exception {
        assumeTrue(Command.exists("python3"), "needs python3 (installed by .ci/run)");
        String script = String.join("\n",
                "import smtplib, ssl",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "s = smtplib.SMTP('127.0.0.1', " + port + ", local_hostname='pysmtplib.test', timeout=20)",
                "s.ehlo()",
                "s.starttls(context=ctx)",
                "code, text = s.ehlo()",
                "print('EHLO after TLS:', code, text.decode())",
                "s.sendmail('py@sender.test', ['someone@lab.test'], 'Subject: smtplib\\r\\n\\r\\nhello\\r\\n')",
                "s.quit()");
        Command.Result r = Command.run(List.of("python3", "-c", script), null, 60);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).as("smtplib saw the real EHLO reply").doesNotContain("injected.invalid");
        SessionRecord rec = record("pysmtplib.test");
        assertThat(rec.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(rec.tlsProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void swaksIsRecordedAsItsOwnTranscriptShows() throws Exception {
        assumeTrue(Command.exists("swaks"), "needs swaks (installed by .ci/run)");
        Command.Result r = Command.run(List.of("swaks", "--server", "127.0.0.1", "--port", "" + port, "--to",
                "someone@lab.test", "--from", "swaks@sender.test", "--ehlo", "swaks-injection.test", "--tls",
                "--header", "Subject: swaks injection"), null, 60);
        SessionRecord rec = record("swaks-injection.test");
        // swaks prints what it reads with "<~" inside TLS: the injected text there means it took it as the reply
        boolean tookInjected = r.output().lines().anyMatch(l -> l.startsWith("<~") && l.contains("injected.invalid"));
        assertThat(rec.verdict() == Verdict.ACTED_ON_INJECTED_REPLY).as("lab %s vs swaks:%n%s", rec.verdict(), r.output())
                .isEqualTo(tookInjected);
        if (!tookInjected && r.exitCode() == 0) {
            assertThat(rec.verdict()).isEqualTo(Verdict.DELIVERED);
        }
        System.out.printf("swaks against starttls-response-injection: exit %d, lab verdict %s%n", r.exitCode(), rec.verdict());
    }

    private static void readInto(InputStream in, Deque<String> lines) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        do {
            int n = in.read(buf);
            if (n < 0) break;
            b.write(buf, 0, n);
        } while (!b.toString(StandardCharsets.US_ASCII).matches("(?s).*(^|\r\n)\\d{3} [^\r\n]*\r\n$") || in.available() > 0);
        for (String l : b.toString(StandardCharsets.US_ASCII).split("\r\n")) if (!l.isEmpty()) lines.add(l);
    }

    private static SSLContext trustingLab() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("lab", lab.pki("localhost").caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}

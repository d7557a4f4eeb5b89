package dev.doublelock.lab;

import dev.doublelock.testing.PinnedTrustManager;
import dev.doublelock.testing.RawSmtpClient;
import dev.doublelock.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a sender does becomes a record with the right verdict, including the plaintext fallback. */
class LabRecordingTest {
    @TempDir
    static Path data;
    static Lab lab;

    @BeforeAll
    static void startLab() throws Exception {
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data).withKeepBodyBytes(64));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    static String message(String subject) {
        return "From: <a@sender.example>\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject + "@sender.example>\r\n\r\nhello\r\n";
    }

    static SessionRecord awaitRecord(Predicate<SessionRecord> p) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (SessionRecord r : lab.records().all(0)) if (p.test(r)) return r;
            Thread.sleep(50);
        }
        throw new AssertionError("no such record; have: " + lab.records().all(0));
    }

    /** Connect, EHLO with a given name, optionally STARTTLS with a context, optionally deliver. */
    static void session(LabProfile p, String ehlo, SSLContext tls, boolean deliver, String subject) throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(p).address())) {
            c.reply();
            c.command("EHLO " + ehlo);
            if (tls != null) {
                c.command("STARTTLS");
                c.startTls(tls, "localhost", true);
                c.command("EHLO " + ehlo);
            }
            if (deliver) assertThat(c.deliver("a@sender.example", "victim@lab.example", message(subject))).isEqualTo(250);
            c.command("QUIT");
        }
    }

    @Test
    void deliveringToGoodOverTlsIsDelivered() throws Exception {
        session(LabProfile.GOOD, "good-sender.example", TestTls.trusting(lab.pki("localhost").caCertificate()), true, "s1");
        SessionRecord r = awaitRecord(x -> "s1".equals(x.subject()));
        assertThat(r.verdict()).isEqualTo(Verdict.DELIVERED);
        assertThat(r.startTls()).isEqualTo("established");
        assertThat(r.tlsProtocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(r.ehloName()).isEqualTo("good-sender.example");
        assertThat(r.mailFrom()).isEqualTo("a@sender.example");
        assertThat(r.rcptTo()).containsExactly("victim@lab.example");
        assertThat(r.messageId()).isEqualTo("<s1@sender.example>");
        assertThat(r.messageIds()).containsExactly("<s1@sender.example>");
        assertThat(r.sni()).isEqualTo("localhost");
        assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("From: <a@sender.example>").hasSize(64);
    }

    @Test
    void deliveringOverAnExpiredCertificateIsInsecure() throws Exception {
        var pinned = PinnedTrustManager.context(lab.pki("localhost").certificate(LabProfile.EXPIRED.certificate()).leaf());
        session(LabProfile.EXPIRED, "lax.example", pinned, true, "s2");
        assertThat(awaitRecord(x -> "s2".equals(x.subject())).verdict()).isEqualTo(Verdict.DELIVERED_INSECURELY);
    }

    @Test
    void strictClientRefusesAtHandshakeAndTheAlertIsRecorded() throws Exception {
        SSLContext strict = TestTls.trusting(lab.pki("localhost").caCertificate());
        assertThatThrownBy(() -> session(LabProfile.SELF_SIGNED, "strict.example", strict, true, "never"))
                .isInstanceOf(SSLException.class);
        SessionRecord r = awaitRecord(x -> x.ehloName().equals("strict.example") && x.profile().equals("self-signed"));
        assertThat(r.verdict()).isEqualTo(Verdict.REFUSED_AT_HANDSHAKE);
        assertThat(r.startTls()).isEqualTo("failed");
        // JSSE's client sends certificate_unknown, then closes at once: when its close overtakes the alert
        // (a TCP reset drops unread data), the server can only see the connection end
        assertThat(r.alert()).isIn("certificate_unknown", "closed");
        assertThat(r.sni()).as("the name asked for is recorded even though the handshake failed").isEqualTo("localhost");
    }

    @Test
    void anAlertTheLabRaisesItselfIsMarkedAsTheLabs() throws Exception {
        SSLContext strict = TestTls.trusting(lab.pki("localhost").caCertificate());
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.TLS_1_0_ONLY).address())) {
            c.reply();
            c.command("EHLO modern-only.example");
            c.command("STARTTLS");
            assertThatThrownBy(() -> c.startTls(strict, "localhost", true, "TLSv1.3", "TLSv1.2"))
                    .isInstanceOf(SSLException.class);
        }
        SessionRecord r = awaitRecord(x -> x.ehloName().equals("modern-only.example"));
        assertThat(r.verdict()).isEqualTo(Verdict.REFUSED_AT_HANDSHAKE);
        assertThat(r.alert()).as("the lab (TLS 1.0 only) refused the client's versions, not the other way round")
                .startsWith("lab: ");
        // no SNI here: JSSE refuses the versions before it looks at the server_name extension
    }

    @Test
    void refusedHandshakeThenPlaintextDeliveryIsAFallback() throws Exception {
        SSLContext strict = TestTls.trusting(lab.pki("localhost").caCertificate());
        assertThatThrownBy(() -> session(LabProfile.WRONG_HOST, "fallback.example", strict, true, "never2"))
                .isInstanceOf(SSLException.class);
        awaitRecord(x -> x.ehloName().equals("fallback.example") && x.verdict() == Verdict.REFUSED_AT_HANDSHAKE);
        session(LabProfile.WRONG_HOST, "fallback.example", null, true, "s3");
        assertThat(awaitRecord(x -> "s3".equals(x.subject())).verdict()).isEqualTo(Verdict.PLAINTEXT_FALLBACK);

        ResultsMatrix.Row row = ResultsMatrix.of(lab.records().all(0)).rows().stream()
                .filter(rw -> rw.sender().contains("fallback.example")).findFirst().orElseThrow();
        assertThat(row.verdicts().get(LabProfile.WRONG_HOST)).isEqualTo(Verdict.PLAINTEXT_FALLBACK);
        assertThat(row.failed()).containsExactly(LabProfile.WRONG_HOST);
        assertThat(row.mailFromDomain()).isEqualTo("sender.example");
    }

    @Test
    void quittingAfterTheHandshakeIsARefusalAfterHandshake() throws Exception {
        var pinned = PinnedTrustManager.context(lab.pki("localhost").certificate(LabProfile.RSA_1024.certificate()).leaf());
        session(LabProfile.RSA_1024, "judges-later.example", pinned, false, null);
        SessionRecord r = awaitRecord(x -> x.ehloName().equals("judges-later.example"));
        assertThat(r.verdict()).isEqualTo(Verdict.REFUSED_AFTER_HANDSHAKE);
        assertThat(r.quitAfterHandshake()).isTrue();
    }

    @Test
    void plaintextToNoStarttlsAndFallbackAfter454() throws Exception {
        session(LabProfile.NO_STARTTLS, "plain.example", null, true, "s4");
        assertThat(awaitRecord(x -> "s4".equals(x.subject())).verdict()).isEqualTo(Verdict.NO_TLS_DELIVERED);
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.STARTTLS_BROKEN).address())) {
            c.reply();
            c.command("EHLO may.example");
            assertThat(c.command("STARTTLS").get(0)).startsWith("454");
            assertThat(c.deliver("a@sender.example", "x@lab.example", message("s5"))).isEqualTo(250);
            c.command("QUIT");
        }
        SessionRecord r = awaitRecord(x -> "s5".equals(x.subject()));
        assertThat(r.verdict()).isEqualTo(Verdict.PLAINTEXT_FALLBACK);
        assertThat(r.startTls()).isEqualTo("refused-454");
    }

    @Test
    void everyMessageOfASessionIsRecorded() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient(lab.endpoint(LabProfile.GOOD).address())) {
            c.reply();
            c.command("EHLO multi.example");
            c.command("STARTTLS");
            c.startTls(TestTls.trusting(lab.pki("localhost").caCertificate()), "localhost", true);
            c.command("EHLO multi.example");
            assertThat(c.deliver("a@sender.example", "x@lab.example", message("m1"))).isEqualTo(250);
            c.command("RSET");
            assertThat(c.deliver("a@sender.example", "x@lab.example", message("m2"))).isEqualTo(250);
            c.command("QUIT");
        }
        SessionRecord r = awaitRecord(x -> x.ehloName().equals("multi.example"));
        assertThat(r.messages()).isEqualTo(2);
        assertThat(r.messageIds()).containsExactly("<m1@sender.example>", "<m2@sender.example>");
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        session(LabProfile.GOOD, "persist.example", TestTls.trusting(lab.pki("localhost").caCertificate()), true, "s6");
        awaitRecord(x -> "s6".equals(x.subject()));
        try (RecordStore again = RecordStore.openDefault(data)) {
            List<SessionRecord> all = again.all(0);
            assertThat(all).anyMatch(x -> "s6".equals(x.subject()));
        }
    }
}

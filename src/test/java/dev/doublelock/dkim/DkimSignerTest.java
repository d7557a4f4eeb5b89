package dev.doublelock.dkim;

import dev.doublelock.message.Message;
import dev.doublelock.message.MultipartReport;
import dev.doublelock.testing.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** doublelock's DKIM signatures checked by an independent verifier: Debian's python3-dkim (dkimpy). */
class DkimSignerTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    static byte[] report() {
        MultipartReport r = new MultipartReport("tlsrpt").text(null, "This is an aggregate TLS report from relay.test.\n"
                + "   with  spaces   and trailing blanks   \n\n\n").attachment("application/tlsrpt+gzip",
                "relay.test!example.org!1!2.json.gz", new byte[] {31, -117, 8, 0, 1, 2, 3});
        return Message.builder().header("From", "TLS reports <tlsrpt@relay.test>").header("To", "<rua@example.org>")
                .header("Subject", "Report Domain: example.org Submitter: relay.test Report-ID: <2026-12-01.example.org@relay.test>")
                .date(Instant.parse("2026-12-02T00:05:00Z")).header("Message-ID", "<r1@relay.test>")
                .header("TLS-Report-Domain", "example.org").header("TLS-Report-Submitter", "relay.test")
                .body(r).build().toBytes();
    }

    private boolean verifies(byte[] signed, String dnsRecord) throws Exception {
        Path msg = Files.write(dir.resolve("m-" + System.nanoTime() + ".eml"), signed);
        String script = String.join("\n",
                "import dkim, sys",
                "msg = open(sys.argv[1], 'rb').read()",
                "record = sys.argv[2].encode()",
                "ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: record if name == b'tlsrpt._domainkey.relay.test.' else None)",
                "print('DKIM', 'pass' if ok else 'fail')");
        Command.Result r = Command.run(List.of(PYTHON, "-c", script, msg.toString(), dnsRecord), null, 30);
        assertThat(r.output()).as(r.output()).contains("DKIM");
        return r.output().contains("DKIM pass");
    }

    private boolean dkimpy() throws Exception {
        return Files.isExecutable(Path.of(PYTHON))
                && Command.run(List.of(PYTHON, "-c", "import dkim"), null, 20).exitCode() == 0;
    }

    @Test
    void rsaSignaturesVerifyWithDkimpyAndBreakWhenTheMessageChanges() throws Exception {
        assumeTrue(dkimpy(), "needs Debian's python3-dkim (installed by .ci/run)");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        String record = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
        byte[] signed = new DkimSigner("relay.test", "tlsrpt", kp.getPrivate()).sign(report(), Instant.parse("2026-12-02T00:05:01Z"));
        String text = new String(signed, StandardCharsets.US_ASCII);
        assertThat(text.replace("\r\n\t", " ")).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=relay.test; s=tlsrpt;");
        assertThat(text.split("\r\n")).allMatch(l -> l.length() <= 78);
        assertThat(verifies(signed, record)).as("dkimpy accepts the signature").isTrue();
        byte[] tampered = text.replace("Report Domain: example.org", "Report Domain: example.net")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(verifies(tampered, record)).as("a changed Subject breaks it").isFalse();
        byte[] bodyChanged = text.replace("aggregate TLS report", "aggregate TLS rep0rt").getBytes(StandardCharsets.US_ASCII);
        assertThat(verifies(bodyChanged, record)).as("a changed body breaks it").isFalse();
    }

    @Test
    void canonicalizationFollowsRfc6376() {
        assertThat(DkimSigner.relaxedHeader("SubJect :  two \r\n\t words  ")).isEqualTo("subject:two words");
        assertThat(DkimSigner.relaxedBody("a  b \t\r\n\r\n\r\n")).isEqualTo("a b\r\n");
        assertThat(DkimSigner.relaxedBody("")).isEmpty();
        assertThat(DkimSigner.relaxedBody("\r\n\r\n")).isEmpty();
        assertThat(DkimSigner.relaxedBody("x")).isEqualTo("x\r\n");
    }
}

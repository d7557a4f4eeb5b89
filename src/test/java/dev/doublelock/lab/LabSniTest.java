package dev.doublelock.lab;

import dev.doublelock.testing.Command;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's one SNI listener: real openssl and swaks, each naming a profile's MX host in its ClientHello, get that
 * profile's certificate (for that name, from the one lab CA) and TLS configuration on the same port, and the session is
 * recorded as that profile with the name; without SNI (or naming a profile whose defect comes before TLS) they get good.
 */
class LabSniTest {
    static final Name ZONE = Name.fromConstantString(LabZone.DEFAULT_ZONE);

    @TempDir
    static Path data;
    static Lab lab;
    static Path ca;
    static int port;

    @BeforeAll
    static void startLab() throws Exception {
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data),
                Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        port = lab.sni().orElseThrow().getPort();
        ca = data.resolve("ca.pem");
        Files.writeString(ca, Pem.encode(lab.pki("localhost").caCertificate()));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    static Stream<LabProfile> selectable() {
        return SniProfiles.selectable().stream();
    }

    static String mx(LabProfile p) {
        return LabZone.mxHost(p, ZONE).toString(true);
    }

    static Command.Result sClient(String ehloTag, List<String> serverName, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-starttls", "smtp", "-name", ehloTag,
                "-connect", "127.0.0.1:" + port, "-CAfile", ca.toString(), "-showcerts", "-cipher", "ALL:@SECLEVEL=0"));
        cmd.addAll(serverName);
        cmd.addAll(List.of(extra));
        return Command.run(cmd, "QUIT\r\n", 30);
    }

    static SessionRecord recordOf(String ehlo) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<SessionRecord> r = lab.records().all(0).stream().filter(x -> ehlo.equals(x.ehloName())).findFirst();
            if (r.isPresent()) return r.get();
            Thread.sleep(25);
        }
        throw new AssertionError("no session recorded with EHLO " + ehlo);
    }

    static X509Certificate served(String output) {
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----").matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Pem.readCertificates(m.group()).get(0);
    }

    @ParameterizedTest
    @MethodSource("selectable")
    void opensslNamingAProfilesMxGetsThatProfilesCertificateAndTls(LabProfile p) throws Exception {
        assumeTrue(Command.exists("openssl"), "needs openssl");
        String ehlo = "sni-" + p.ordinal() + ".openssl.test";
        Command.Result r = sClient(ehlo, List.of("-servername", mx(p), "-verify_hostname", mx(p)));
        assertThat(served(r.output())).as(r.output())
                .isEqualTo(lab.pki(Lab.sniHostName(p, ZONE)).certificate(p.certificate()).leaf());
        Matcher verify = Pattern.compile("Verify return code: (\\d+)").matcher(r.output());
        assertThat(verify.find()).as(r.output()).isTrue();
        int expected = OpensslAndSwaksInteropTest.expectedVerifyCode(p);
        if (expected < 0) assertThat(Integer.parseInt(verify.group(1))).isNotZero();
        else assertThat(Integer.parseInt(verify.group(1))).as(r.output()).isEqualTo(expected);
        if (p.tls() == LabProfile.Tls.TLS10) assertThat(r.output()).containsPattern("Protocol *: *TLSv1\\b");
        if (p.tls() == LabProfile.Tls.DHE_1024) assertThat(r.output()).contains("Server Temp Key: DH, 1024 bits");
        SessionRecord rec = recordOf(ehlo);
        assertThat(rec.profile()).isEqualTo(p.profileName());
        assertThat(rec.sni()).isEqualTo(mx(p));
        assertThat(rec.port()).isEqualTo(port);
    }

    @Test
    void withoutSniOrNamingAProfileWhoseDefectIsBeforeTlsASenderGetsGood() throws Exception {
        assumeTrue(Command.exists("openssl"), "needs openssl");
        X509Certificate good = lab.pki(Lab.sniHostName(LabProfile.GOOD, ZONE)).certificate(LabProfile.GOOD.certificate()).leaf();
        Command.Result none = sClient("no-sni.openssl.test", List.of("-noservername", "-verify_hostname", "good.lab.test"));
        assertThat(served(none.output())).isEqualTo(good);
        assertThat(none.output()).contains("Verify return code: 0 (ok)");
        SessionRecord rec = recordOf("no-sni.openssl.test");
        assertThat(rec.profile()).isEqualTo("good");
        assertThat(rec.sni()).isNull();
        assertThat(rec.startTls()).isEqualTo("established");

        for (LabProfile p : List.of(LabProfile.NO_STARTTLS, LabProfile.STARTTLS_BROKEN, LabProfile.RESPONSE_INJECTION)) {
            String ehlo = "not-selectable-" + p.ordinal() + ".openssl.test";
            Command.Result r = sClient(ehlo, List.of("-servername", mx(p)));
            assertThat(served(r.output())).as(p.profileName()).isEqualTo(good);
            SessionRecord named = recordOf(ehlo);
            assertThat(named.profile()).isEqualTo("good");
            assertThat(named.sni()).isEqualTo(mx(p));
        }
        Command.Result other = sClient("other-name.openssl.test", List.of("-servername", "mx.example.org"));
        assertThat(served(other.output())).isEqualTo(good);
        assertThat(recordOf("other-name.openssl.test").sni()).isEqualTo("mx.example.org");
    }

    @Test
    void aFailedHandshakeIsRecordedForTheProfileItsNameChose() throws Exception {
        assumeTrue(Command.exists("openssl"), "needs openssl");
        // tls-1.3-only refuses a TLS 1.2 client: recorded at tls-1.3-only, not at good, with the name
        Command.Result r = sClient("tls12.openssl.test", List.of("-servername", mx(LabProfile.TLS_1_3_ONLY)), "-tls1_2");
        assertThat(r.output()).contains("alert protocol version");
        SessionRecord rec = recordOf("tls12.openssl.test");
        assertThat(rec.profile()).isEqualTo("tls-1.3-only");
        assertThat(rec.startTls()).isEqualTo("failed");
        assertThat(rec.sni()).isEqualTo("tls-1-3-only.lab.test");
    }

    @Test
    void swaksWithTlsSniDeliversToTheProfileItNamesAndWithoutToGood() throws Exception {
        assumeTrue(Command.exists("swaks"), "needs swaks");
        assumeTrue(perlModule("Net::SSLeay") && perlModule("IO::Socket::SSL"),
                "swaks needs Perl's Net::SSLeay and IO::Socket::SSL for STARTTLS (libnet-ssleay-perl libio-socket-ssl-perl)");
        for (Optional<LabProfile> named : List.of(Optional.of(LabProfile.EXPIRED), Optional.of(LabProfile.GOOD),
                Optional.<LabProfile>empty())) {
            String ehlo = "swaks-" + named.map(LabProfile::profileName).orElse("none") + ".sni.test";
            List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", "" + port,
                    "--to", "someone@lab.test", "--from", "swaks@sender.test", "--ehlo", ehlo, "--tls"));
            named.ifPresent(p -> cmd.addAll(List.of("--tls-sni", mx(p))));
            Command.Result r = Command.run(cmd, null, 60);
            assertThat(r.exitCode()).as(r.output()).isZero();
            SessionRecord rec = recordOf(ehlo);
            LabProfile expected = named.orElse(LabProfile.GOOD);
            assertThat(rec.profile()).as(r.output()).isEqualTo(expected.profileName());
            assertThat(rec.sni()).isEqualTo(named.map(LabSniTest::mx).orElse(null));
            // swaks does not verify: it delivers to expired, which is that profile's failing verdict
            assertThat(rec.verdict()).isEqualTo(expected.isGood() ? Verdict.DELIVERED : Verdict.DELIVERED_INSECURELY);
        }
        // per sender: "sends SNI: yes/no", in 'lab results' and on the page (SenderSni)
        String results = resultsText();
        assertThat(results).containsPattern("swaks-expired\\.sni\\.test\\)\\n    sends SNI: yes \\(expired\\.lab\\.test\\)")
                .containsPattern("swaks-none\\.sni\\.test\\)\\n    sends SNI: no\\n");
    }

    /**
     * A real Postfix (Debian) sends SNI only when told: one transport per name ({@code smtp_tls_servername}), one without.
     * Each message reaches the profile its name chose on the one port, and the lab's verdict agrees with Postfix's log.
     */
    @Test
    void postfixWithSmtpTlsServernameReachesTheProfileItNames() throws Exception {
        assumeTrue(dev.doublelock.testing.PostfixInstance.available(), "needs root and Debian's postfix package");
        String next = "[127.0.0.1]:" + port;
        Path transport = Files.writeString(data.resolve("sni-transport"), String.join("\n",
                "good.lab.test sni-good:" + next, "expired.lab.test sni-expired:" + next,
                "self-signed.lab.test sni-self:" + next, "nosni.test nosni:" + next) + "\n");
        List<String> master = new ArrayList<>();
        for (String[] t : new String[][] {{"sni-good", "good.lab.test", "secure"}, {"sni-expired", "expired.lab.test", "secure"},
                {"sni-self", "self-signed.lab.test", "may"}}) {
            master.addAll(List.of(t[0] + " unix - - n - - smtp", "  -o smtp_helo_name=postfix-sni.test",
                    "  -o smtp_tls_servername=" + t[1], "  -o smtp_tls_security_level=" + t[2],
                    "  -o smtp_tls_secure_cert_match=" + t[1]));
        }
        master.addAll(List.of("nosni unix - - n - - smtp", "  -o smtp_helo_name=postfix-nosni.test"));
        java.util.Map<String, String> cf = java.util.Map.of("transport_maps", "texthash:" + transport,
                "smtp_tls_security_level", "may", "smtp_tls_CAfile", ca.toString());
        try (var postfix = dev.doublelock.testing.PostfixInstance.create(cf, master).start()) {
            for (String rcpt : List.of("probe@good.lab.test", "probe@expired.lab.test", "probe@self-signed.lab.test", "probe@nosni.test")) {
                postfix.send("postmaster@doublelock.test", rcpt, "sni " + rcpt, "sni-" + rcpt.replace('@', '.') + "@doublelock.test", "hi");
            }
            java.time.Duration wait = java.time.Duration.ofSeconds(30);
            assertThat(postfix.awaitStatus("probe@good.lab.test", wait, "sent")).as(postfix.maillog()).isPresent();
            assertThat(postfix.awaitStatus("probe@self-signed.lab.test", wait, "sent")).as(postfix.maillog()).isPresent();
            assertThat(postfix.awaitStatus("probe@nosni.test", wait, "sent")).as(postfix.maillog()).isPresent();
            assertThat(postfix.awaitStatus("probe@expired.lab.test", wait, "deferred")).as(postfix.maillog()).isPresent();
            assertThat(postfix.maillog()).contains("expired.lab.test").containsPattern("certificate (verification failed|has expired)");

            assertThat(awaitSession("postfix-sni.test", "good")).satisfies(r -> {
                assertThat(r.sni()).isEqualTo("good.lab.test");
                assertThat(r.verdict()).isEqualTo(Verdict.DELIVERED);
            });
            assertThat(awaitSession("postfix-sni.test", "self-signed")).satisfies(r -> {
                assertThat(r.sni()).isEqualTo("self-signed.lab.test");
                assertThat(r.verdict()).isEqualTo(Verdict.DELIVERED_INSECURELY);
            });
            assertThat(awaitSession("postfix-sni.test", "expired")).satisfies(r -> {
                assertThat(r.sni()).isEqualTo("expired.lab.test");
                assertThat(r.verdict()).isIn(Verdict.REFUSED_AT_HANDSHAKE, Verdict.REFUSED_AFTER_HANDSHAKE);
            });
            assertThat(awaitSession("postfix-nosni.test", "good")).satisfies(r -> {
                assertThat(r.sni()).isNull();
                assertThat(r.verdict()).isEqualTo(Verdict.DELIVERED);
            });
            java.util.Map<String, SenderSni> sni = SenderSni.of(lab.records().all(0));
            assertThat(sni.get("127.0.0.1 (postfix-sni.test)").sends()).isEqualTo(SenderSni.Sends.YES);
            assertThat(sni.get("127.0.0.1 (postfix-nosni.test)").sends()).isEqualTo(SenderSni.Sends.NO);
        }
    }

    static SessionRecord awaitSession(String ehlo, String profile) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            Optional<SessionRecord> r = lab.records().all(0).stream()
                    .filter(x -> ehlo.equals(x.ehloName()) && profile.equals(x.profile())).findFirst();
            if (r.isPresent()) return r.get();
            Thread.sleep(25);
        }
        throw new AssertionError("no session from " + ehlo + " recorded at " + profile + ": " + lab.records().all(0));
    }

    static String resultsText() {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(dev.doublelock.cli.Main.run("lab", "results", "--data", data.toString())).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean perlModule(String module) throws Exception {
        Process p = new ProcessBuilder("perl", "-M" + module, "-e1").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}

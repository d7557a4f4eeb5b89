package dev.doublelock.lab;

import dev.doublelock.testing.Command;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real peers from Debian's packages against the lab on loopback: {@code openssl s_client -starttls smtp} sees
 * each profile's certificate problem and protocol; {@code swaks} delivers over STARTTLS to good and to shame.
 */
class OpensslAndSwaksInteropTest {
    @TempDir
    static Path data;
    static Lab lab;
    static Path ca;

    @BeforeAll
    static void startLab() throws Exception {
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
        ca = data.resolve("ca.pem");
        Files.writeString(ca, Pem.encode(lab.pki("localhost").caCertificate()));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    /** openssl's verify return code (see shared/notes/interop.md) each profile must produce. */
    static int expectedVerifyCode(LabProfile p) {
        return switch (p) {
            case GOOD, TLS_1_0_ONLY, TLS_1_1_ONLY, NO_PFS, SHA1_SIGNATURE, RSA_1024, DHE_1024, CBC_SHA1, MD5_SIGNATURE,
                 TLS_1_3_ONLY, STARTTLS_INJECTION, RESPONSE_INJECTION -> 0; // at SECLEVEL=0
            case CN_ONLY -> 0; // OpenSSL still falls back to the CN when there is no SAN: the lax behaviour the profile tests
            case WILDCARD_TOO_DEEP -> 62; // *.deep.localhost for a.b.deep.localhost: OpenSSL matches one label only
            // the DANE scenarios: what openssl sees without DNS is their certificate
            case DANE_TA, DANE_NOT_MATCHING, DANE_BROKEN_RRSIG, DANE_SERVFAIL, DANE_INSECURE, DANE_NO_TLSA,
                 DANE_EXPIRED_RRSIG -> 0;
            case DANE_EE -> 18;
            case DANE_TA_WRONG_NAME -> 62;
            case SELF_SIGNED -> 18;
            case UNTRUSTED_ROOT -> 19;
            case MISSING_INTERMEDIATE -> 21; // "unable to verify the first certificate": the issuer is neither sent nor trusted
            case EXPIRED -> 10;
            case NOT_YET_VALID -> 9;
            case WRONG_HOST -> 62;
            case SHAME -> -1; // several errors at once: any non-zero code
            case NO_STARTTLS, STARTTLS_BROKEN -> throw new IllegalArgumentException("no TLS");
        };
    }

    static Command.Result sClient(LabProfile p, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-starttls", "smtp", "-connect",
                "127.0.0.1:" + lab.endpoint(p).port(), "-CAfile", ca.toString(), "-verify_hostname", p.referenceName("localhost"),
                "-servername", "localhost", "-showcerts"));
        cmd.addAll(List.of(extra));
        return Command.run(cmd, "QUIT\r\n", 30);
    }

    @ParameterizedTest
    @EnumSource(value = LabProfile.class, names = {"NO_STARTTLS", "STARTTLS_BROKEN"}, mode = EnumSource.Mode.EXCLUDE)
    void opensslSeesTheCertificateProblemAndProtocol(LabProfile p) throws Exception {
        assumeTrue(Command.exists("openssl"), "needs openssl (installed by .ci/run)");
        Command.Result r = sClient(p, "-cipher", "ALL:@SECLEVEL=0");
        Matcher verify = Pattern.compile("Verify return code: (\\d+)").matcher(r.output());
        assertThat(verify.find()).as(r.output()).isTrue();
        int code = Integer.parseInt(verify.group(1));
        if (expectedVerifyCode(p) < 0) assertThat(code).as(r.output()).isNotZero();
        else assertThat(code).as(r.output()).isEqualTo(expectedVerifyCode(p));
        // "Protocol : X" (SSL-Session block, TLS <= 1.2); TLS 1.3 sessions only say "New, TLSv1.3, Cipher is ..."
        Matcher proto = Pattern.compile("Protocol *: *(\\S+)").matcher(r.output());
        if (!proto.find()) {
            proto = Pattern.compile("New, (TLSv1\\.3), Cipher is").matcher(r.output());
            assertThat(proto.find()).as(r.output()).isTrue();
        }
        String expectedProtocol = switch (p.tls()) {
            case MODERN, TLS13 -> "TLSv1.3";
            case TLS10, SHAME -> "TLSv1";
            case TLS11 -> "TLSv1.1";
            case STATIC_RSA, DHE_1024, CBC_SHA1 -> "TLSv1.2";
        };
        assertThat(proto.group(1).replace("TLSv1.0", "TLSv1")).as(r.output()).isEqualTo(expectedProtocol);
        if (p == LabProfile.RSA_1024 || p == LabProfile.SHAME) {
            assertThat(r.output()).contains("Server public key is 1024 bit");
        }
        if (p == LabProfile.NO_PFS) {
            assertThat(r.output()).containsPattern("Cipher is (AES128-GCM-SHA256|AES256-GCM-SHA384)");
        }
        if (p == LabProfile.DHE_1024) {
            assertThat(r.output()).contains("Server Temp Key: DH, 1024 bits")
                    .containsPattern("Cipher is DHE-RSA-AES(128|256)-GCM-SHA(256|384)");
        }
        if (p == LabProfile.CBC_SHA1) {
            assertThat(r.output()).containsPattern("Cipher is ECDHE-ECDSA-AES(128|256)-SHA\\b");
        }
        if (p == LabProfile.TLS_1_3_ONLY) {
            assertThat(r.output()).containsPattern("Cipher is TLS_AES_(128_GCM_SHA256|256_GCM_SHA384)");
        }
    }

    @Test
    void opensslSeesExactlyTheNewProfilesFacts() throws Exception {
        assumeTrue(Command.exists("openssl"), "needs openssl");
        // dhe-1024 offers nothing but DHE: an ECDHE-only client finds no common suite
        assertThat(sClient(LabProfile.DHE_1024, "-cipher", "ECDHE:@SECLEVEL=0").output())
                .contains("alert handshake failure", "Cipher is (NONE)");
        // tls-1.3-only: a TLS 1.2 client is refused with protocol_version
        assertThat(sClient(LabProfile.TLS_1_3_ONLY, "-tls1_2").output()).contains("alert protocol version");
        // cbc-sha1: a client that offers only AEAD suites is refused
        assertThat(sClient(LabProfile.CBC_SHA1, "-tls1_2", "-cipher", "ECDHE+AESGCM").output())
                .contains("alert handshake failure", "Cipher is (NONE)");
        // wildcard-too-deep is a well-formed wildcard: one label below it matches, two do not (opensslSees... above)
        List<String> oneLabel = List.of("openssl", "s_client", "-starttls", "smtp", "-connect",
                "127.0.0.1:" + lab.endpoint(LabProfile.WILDCARD_TOO_DEEP).port(), "-CAfile", ca.toString(),
                "-verify_hostname", "x.deep.localhost");
        assertThat(Command.run(oneLabel, "QUIT\r\n", 30).output()).contains("Verify return code: 0 (ok)");
        // cn-only: the host name is only in the CN (LabEndpointsTest asserts that there is no subjectAltName)
        assertThat(sClient(LabProfile.CN_ONLY).output()).contains("subject=CN = localhost");
    }

    @Test
    void opensslAtItsDefaultSecurityLevelRefusesTheWeakCertificates() throws Exception {
        assumeTrue(Command.exists("openssl"), "needs openssl");
        // Debian's OpenSSL default (SECLEVEL=2) rejects the 1024-bit key and the SHA-1 signature
        assertThat(sClient(LabProfile.RSA_1024).output()).doesNotContain("Verify return code: 0 (ok)");
        assertThat(sClient(LabProfile.SHA1_SIGNATURE).output()).doesNotContain("Verify return code: 0 (ok)");
        assertThat(sClient(LabProfile.MD5_SIGNATURE).output()).contains("CA signature digest algorithm too weak");
        assertThat(sClient(LabProfile.DHE_1024).output()).contains("dh key too small");
        assertThat(sClient(LabProfile.GOOD).output()).contains("Verify return code: 0 (ok)");
    }

    @Test
    void swaksDeliversToGoodAndToShameOverStarttls() throws Exception {
        assumeTrue(Command.exists("swaks"), "needs swaks (installed by .ci/run)");
        // swaks speaks STARTTLS only through Perl's Net::SSLeay and IO::Socket::SSL (Debian: libnet-ssleay-perl,
        // libio-socket-ssl-perl, which swaks only recommends): without them "--tls" fails, which says nothing about the lab
        assumeTrue(perlModule("Net::SSLeay") && perlModule("IO::Socket::SSL"),
                "swaks needs Perl's Net::SSLeay and IO::Socket::SSL for STARTTLS (apt-get install libnet-ssleay-perl "
                        + "libio-socket-ssl-perl; installed by .ci/run)");
        for (LabProfile p : List.of(LabProfile.GOOD, LabProfile.SHAME)) {
            List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port",
                    "" + lab.endpoint(p).port(), "--to", "someone@lab.test", "--from", "swaks@sender.test",
                    "--ehlo", "swaks-" + p.profileName() + ".test", "--tls", "--header", "Subject: swaks " + p));
            if (p == LabProfile.SHAME) cmd.addAll(List.of("--tls-protocol", "tlsv1", "--tls-cipher", "ALL:@SECLEVEL=0"));
            Command.Result r = Command.run(cmd, null, 60);
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("TLS started");
            SessionRecord rec = null;
            for (int i = 0; i < 100 && rec == null; i++) {
                rec = lab.records().all(0).stream().filter(x -> x.ehloName().equals("swaks-" + p.profileName() + ".test"))
                        .findFirst().orElse(null);
                if (rec == null) Thread.sleep(50);
            }
            assertThat(rec).as("record for swaks on %s", p).isNotNull();
            assertThat(rec.verdict()).isEqualTo(p == LabProfile.GOOD ? Verdict.DELIVERED : Verdict.DELIVERED_INSECURELY);
            assertThat(rec.tlsProtocol()).isEqualTo(p == LabProfile.GOOD ? "TLSv1.3" : "TLSv1");
        }
    }

    /** True if {@code perl -MModule -e1} succeeds. */
    private static boolean perlModule(String module) {
        try {
            Process p = new ProcessBuilder("perl", "-M" + module, "-e1").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

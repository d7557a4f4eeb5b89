package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real legacy peer: {@code openssl s_server} at security level 0 on loopback port 0. Skipped where no
 * openssl binary exists (CI installs it).
 */
class OpenSslPeerTest {
    static final File OPENSSL = new File("/usr/bin/openssl");
    static TestCertificates certs;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        assumeTrue(OPENSSL.canExecute(), "openssl not installed at /usr/bin/openssl");
        certs = TestCertificates.rsa("localhost");
    }

    @Test
    void tls10Only_versionAndLegacySuitesFound() throws Exception {
        try (Peer p = start("-tls1", "-cipher", "ALL:@SECLEVEL=0")) {
            ServerObservation o = probe(p);

            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_0);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_0)).contains("TLS_RSA_WITH_AES_128_CBC_SHA",
                    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_0)).allSatisfy(name ->
                    assertThat(CipherSuites.byName(name).orElseThrow().minVersion()).isLessThanOrEqualTo(TlsVersion.TLS_1_0));
            assertThat(o.chain()).containsExactly(certs.certificate());
            assertThat(o.minDhBits()).isPresent();
            assertThat(o.secureRenegotiation()).contains(true);
            assertThat(o.untested()).isEmpty();
        }
    }

    @Test
    void tls12WithStaticRsa_bothSuitesFound() throws Exception {
        try (Peer p = start("-tls1_2", "-cipher", "AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256")) {
            ServerObservation o = probe(p);

            assertThat(o.acceptedVersions()).containsExactly(TlsVersion.TLS_1_2);
            assertThat(o.acceptedSuites().get(TlsVersion.TLS_1_2)).containsExactlyInAnyOrder(
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256");
            assertThat(o.acceptedGroups()).contains("x25519", "secp256r1");
            assertThat(o.untested()).isEmpty();
        }
    }

    private ServerObservation probe(Peer p) {
        TlsProber prober = new TlsProber(ProbeOptions.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(90)));
        return prober.probe(new ProbeTarget(p.address, Transport.PLAIN_TLS, "localhost"));
    }

    record Peer(Process process, InetSocketAddress address) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private Peer start(String... args) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, certs.pem());
        Files.writeString(key, certs.keyPem());
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.getPath(), "s_server", "-accept", "127.0.0.1:0",
                "-cert", cert.toString(), "-key", key.toString()));
        cmd.addAll(List.of(args));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Integer> port = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> { // find the ACCEPT line, then keep draining so openssl never blocks
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("ACCEPT ")) port.complete(Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip()));
                }
            } catch (Exception ignored) {
                // process ended
            }
            port.complete(-1);
        });
        int p = port.get(10, TimeUnit.SECONDS);
        if (p <= 0) {
            proc.destroyForcibly();
            throw new IllegalStateException("openssl s_server did not print its ACCEPT line");
        }
        return new Peer(proc, new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
    }
}

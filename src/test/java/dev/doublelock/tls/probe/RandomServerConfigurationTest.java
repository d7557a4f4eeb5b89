package dev.doublelock.tls.probe;

import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import dev.doublelock.tls.probe.OpenSslCatalog.Group;
import dev.doublelock.tls.probe.OpenSslCatalog.Suite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The checker against seeded random real servers: {@code openssl s_server} configurations drawn from legacy,
 * anonymous and modern suites, TLS 1.0–1.3, RSA and ECDSA keys, groups incl. brainpool, x448, P-224 and FFDHE, and
 * three DH sizes. Ground truth comes from the configuration ({@link RandomServerConfiguration}); each expected
 * suite and group, and each one the prober reports, is first confirmed with {@code openssl s_client}, so a wrong
 * model fails the test as loudly as a wrong prober. Seeds are fixed (CI runs the same 24); set
 * {@code -Ddoublelock.randomConfigs=N -Ddoublelock.randomSeed=S} for a longer run.
 */
class RandomServerConfigurationTest {
    @TempDir
    static Path dir;

    static final Map<RandomServerConfiguration.Key, CertifiedKey> KEYS = new EnumMap<>(RandomServerConfiguration.Key.class);
    static final Map<RandomServerConfiguration.DhParameters, Path> DH = new EnumMap<>(RandomServerConfiguration.DhParameters.class);

    @BeforeAll
    static void prepare() throws Exception {
        assumeTrue(OpenSslServer.available(), "openssl not installed at /usr/bin/openssl");
        Instant now = Instant.now();
        for (RandomServerConfiguration.Key k : RandomServerConfiguration.Key.values()) {
            CertificateBuilder b = new CertificateBuilder().subject("CN=localhost").dnsNames("localhost")
                    .validity(now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
            // PKCS#1 v1.5 for RSA: TLS 1.0/1.1 peers must be able to verify the certificate's own signature
            KEYS.put(k, k.rsa() ? b.rsa(2048).signatureAlgorithm("SHA256withRSA").build() : b.ecdsa(k.curve).build());
        }
        for (RandomServerConfiguration.DhParameters p : RandomServerConfiguration.DhParameters.values()) {
            Path f = dir.resolve(p.name() + ".pem");
            Command c = run(List.of(OpenSslServer.OPENSSL.getPath(), "genpkey", "-genparam", "-algorithm", "DH",
                    "-pkeyopt", p.pkeyopt, "-out", f.toString()));
            assertThat(c.exit).as("openssl genpkey %s: %s", p, c.output).isZero();
            DH.put(p, f);
        }
    }

    static LongStream seeds() {
        long n = Long.getLong("doublelock.randomConfigs", 24);
        long first = Long.getLong("doublelock.randomSeed", 20261203L);
        return LongStream.range(first, first + n);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void enumeratedExactly(long seed) throws Exception {
        RandomServerConfiguration config = RandomServerConfiguration.generate(seed);
        CertifiedKey key = KEYS.get(config.key());
        try (OpenSslServer server = OpenSslServer.start(dir, Pem.encode(key.leaf()), Pem.encode(key.privateKey()),
                config.serverArguments(DH.get(config.dh()).toString()))) {
            ServerObservation o = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(90)))
                    .probe(new ProbeTarget(server.address(), Transport.PLAIN_TLS, "localhost"));
            String context = config + "\nobserved: " + o.acceptedSuites() + " groups " + o.acceptedGroups()
                    + " dh " + o.minDhBits() + " untested " + o.untested() + "\nserver: " + server.describe();

            confirmWithOpenSslClient(config, server, o, context);

            Map<TlsVersion, Set<String>> observed = new TreeMap<>();
            o.acceptedSuites().forEach((v, names) -> observed.put(v, new TreeSet<>(names)));
            List<String> expectedUntested = expectedUntested(config);
            assertThat(o.untested()).as(context).hasSameSizeAs(expectedUntested);
            for (int i = 0; i < expectedUntested.size(); i++) {
                assertThat(o.untested().get(i)).as(context).startsWith(expectedUntested.get(i));
            }
            // every probe that could run left its fact (renegotiation: where it is not expected to be untested)
            assertThat(o.vulnerabilities().keySet()).as(context).containsAll(
                    java.util.EnumSet.complementOf(expectedUntested.isEmpty()
                            ? java.util.EnumSet.of(dev.doublelock.tls.Vulnerability.STARTTLS_INJECTION)
                            : java.util.EnumSet.of(dev.doublelock.tls.Vulnerability.STARTTLS_INJECTION,
                                    dev.doublelock.tls.Vulnerability.CLIENT_RENEGOTIATION)));
            assertThat(o.vulnerabilities().values()).as(context).noneMatch(dev.doublelock.tls.Exposure::vulnerable);
            assertThat(observed).as(context).isEqualTo(config.expectedSuites());
            assertThat(Set.copyOf(o.acceptedVersions())).as(context).isEqualTo(config.expectedVersions());
            assertThat(new TreeSet<>(o.acceptedGroups())).as(context).isEqualTo(new TreeSet<>(config.expectedGroups()));
            assertThat(o.minDhBits()).as(context).isEqualTo(config.expectedDhBits());
            if (config.expectsCertificate()) {
                assertThat(o.chain()).as(context).containsExactly(key.leaf());
            } else {
                assertThat(o.chain()).as("anonymous suites only: no certificate to see\n" + context).isEmpty();
            }
        }
    }

    /**
     * What the prober cannot find out on such a server, and must say: only the renegotiation probe has a limit
     * (it needs a certificate to pin its handshake to; where the JDK's TLS cannot do it, BouncyCastle's does).
     */
    static List<String> expectedUntested(RandomServerConfiguration config) throws Exception {
        Map<TlsVersion, Set<String>> suites = config.expectedSuites();
        boolean legacy = suites.keySet().stream().anyMatch(v -> v != TlsVersion.TLS_1_3);
        if (!legacy) return List.of();
        if (!config.expectsCertificate()) {
            return List.of("client renegotiation: not tested: no certificate seen to pin the handshake to (anonymous suites only)");
        }
        // TLS 1.0/1.1 only, or no suite and curve the JDK's TLS has: BouncyCastle's TLS does the first handshake, but
        // only with a suite that shows the certificate (anonymous TLS ≤ 1.2 suites beside a TLS 1.3 certificate: not)
        TlsVersion used = suites.containsKey(TlsVersion.TLS_1_2) ? TlsVersion.TLS_1_2
                : suites.keySet().stream().filter(v -> v != TlsVersion.TLS_1_3).max(Comparator.naturalOrder()).orElseThrow();
        boolean authenticated = suites.get(used).stream().map(n -> dev.doublelock.tls.CipherSuites.byName(n).orElseThrow())
                .anyMatch(c -> !c.anonymous());
        return authenticated ? List.of() : List.of("client renegotiation: not tested: none of the server's " + used.displayName()
                + " suites is one the JDK's or BouncyCastle's TLS completes");
    }

    /** Every suite and group the model or the prober names is tried with a real client, and must agree with the model. */
    private static void confirmWithOpenSslClient(RandomServerConfiguration config, OpenSslServer server, ServerObservation o,
                                                 String context) throws Exception {
        for (TlsVersion v : List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2)) {
            List<Suite> candidates = new ArrayList<>(config.suites());
            o.acceptedSuites().getOrDefault(v, List.of()).forEach(name -> OpenSslCatalog.SUITES.stream()
                    .filter(s -> s.iana().equals(name) && !candidates.contains(s)).forEach(candidates::add));
            for (Suite s : candidates) {
                boolean real = handshake(server, List.of(flag(v), "-cipher", s.openssl() + ":@SECLEVEL=0",
                        "-groups", OpenSslCatalog.allTls12EcGroups()));
                assertThat(real).as("s_client %s %s disagrees with the model\n%s", v, s.openssl(), context)
                        .isEqualTo(config.accepts(s, v));
            }
        }
        if (config.versions().contains(TlsVersion.TLS_1_3)) {
            for (String s : OpenSslCatalog.TLS13_SUITES) {
                boolean expected = config.tls13Accepted() && config.tls13Suites().contains(s);
                boolean real = handshake(server, List.of("-tls1_3", "-ciphersuites", s, "-cipher", "ALL:@SECLEVEL=0"));
                assertThat(real).as("s_client TLS 1.3 %s disagrees with the model\n%s", s, context).isEqualTo(expected);
            }
            for (Group g : config.groups()) {
                boolean real = handshake(server, List.of("-tls1_3", "-groups", g.openssl(), "-cipher", "ALL:@SECLEVEL=0",
                        "-ciphersuites", String.join(":", OpenSslCatalog.TLS13_SUITES)));
                assertThat(real).as("s_client TLS 1.3 group %s disagrees with the model\n%s", g.openssl(), context)
                        .isEqualTo(g.tls13() && !config.tls13Suites().isEmpty());
            }
        }
    }

    private static String flag(TlsVersion v) {
        return switch (v) {
            case TLS_1_0 -> "-tls1";
            case TLS_1_1 -> "-tls1_1";
            case TLS_1_2 -> "-tls1_2";
            default -> throw new IllegalArgumentException(v.toString());
        };
    }

    private static boolean handshake(OpenSslServer server, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(OpenSslServer.OPENSSL.getPath(), "s_client", "-connect",
                "127.0.0.1:" + server.port(), "-servername", "localhost"));
        cmd.addAll(args);
        Command c = run(cmd);
        return c.output.contains("Cipher is ") && !c.output.contains("Cipher is (NONE)");
    }

    record Command(int exit, String output) {
    }

    private static Command run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        return new Command(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

package dev.doublelock.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.CertFixture.Issued;
import dev.doublelock.tls.CertFixture.Pki;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.StartTlsOutcome.Status;
import dev.doublelock.tls.TlsVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.doublelock.finding.FindingCode.*;
import static dev.doublelock.tls.CertFixture.NOW;
import static dev.doublelock.tls.CertFixture.cert;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/design.md "Lab profiles": each profile, as a prober would observe it (with a real generated chain), must
 * produce exactly its expected finding codes under bsi; opportunistic reports the same codes, none as FAIL.
 */
class LabExpectationsTest {
    static final Pki LAB = CertFixture.goodPki("lab");
    static final ChainInspector INSPECTOR = new ChainInspector(List.of(LAB.root().cert()), false);
    static final PolicyContext CTX = new PolicyContext(INSPECTOR, NOW, 2026);

    static Issued leafFromLab(String cn, Instant from, Instant to) {
        return cert("CN=" + cn).key(CertFixture.ec("secp256r1", "leaf")).issuedBy(LAB.intermediate())
                .validity(from, to).dns(cn).build();
    }

    static Stream<Arguments> profiles() {
        Issued good = LAB.leaf("localhost");
        Pki other = CertFixture.goodPki("other");
        Instant past = NOW.minus(Duration.ofDays(400));
        Map<String, Supplier<ServerObservation>> p = new java.util.LinkedHashMap<>();
        p.put("good", () -> Obs.goodTls().chain(good.cert(), LAB.intermediate().cert()).build());
        p.put("self-signed", () -> Obs.goodTls().chain(cert("CN=localhost").key(CertFixture.ec("secp256r1", "self"))
                .dns("localhost").build().cert()).build());
        p.put("untrusted-root", () -> Obs.goodTls().chain(other.leaf("localhost").cert(), other.intermediate().cert(),
                other.root().cert()).build());
        p.put("missing-intermediate", () -> Obs.goodTls().chain(good.cert()).build());
        p.put("expired", () -> Obs.goodTls().chain(leafFromLab("localhost", past, NOW.minus(Duration.ofDays(1))).cert(),
                LAB.intermediate().cert()).build());
        p.put("not-yet-valid", () -> Obs.goodTls().chain(leafFromLab("localhost", NOW.plus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(400))).cert(), LAB.intermediate().cert()).build());
        p.put("wrong-host", () -> Obs.goodTls().chain(LAB.leaf("abc.xy").cert(), LAB.intermediate().cert()).build());
        p.put("sha1-signature", () -> Obs.goodTls().chain(cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf"))
                .issuedBy(LAB.root()).signedWith("SHA1withRSA").dns("localhost").build().cert()).build());
        p.put("rsa-1024", () -> Obs.goodTls().chain(cert("CN=localhost").key(CertFixture.rsa(1024))
                .issuedBy(LAB.intermediate()).dns("localhost").build().cert(), LAB.intermediate().cert()).build());
        p.put("tls-1.0-only", () -> Obs.server().suites(TlsVersion.TLS_1_0, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA").groups("secp256r1")
                .chain(good.cert(), LAB.intermediate().cert()).build());
        p.put("tls-1.1-only", () -> Obs.server().suites(TlsVersion.TLS_1_1, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")
                .groups("secp256r1").chain(good.cert(), LAB.intermediate().cert()).build());
        p.put("no-pfs", () -> Obs.server().suites(TlsVersion.TLS_1_2, "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_GCM_SHA384").chain(cert("CN=localhost").key(CertFixture.rsa(3072))
                .issuedBy(LAB.intermediate()).dns("localhost").build().cert(), LAB.intermediate().cert()).build());
        p.put("no-starttls", () -> Obs.server().startTls(Status.NOT_OFFERED, "250-PIPELINING").build());
        p.put("starttls-broken", () -> Obs.server().startTls(Status.REFUSED, "454 4.7.0 TLS not available").build());
        p.put("shame", () -> Obs.server().suites(TlsVersion.TLS_1_0, "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA").groups("secp256r1")
                .chain(cert("CN=abc.xy").key(CertFixture.rsa(1024)).signedWith("SHA1withRSA")
                        .validity(Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1970-01-02T00:00:00Z"))
                        .build().cert()).build());
        // added after shame (issue 9 item 8)
        p.put("dhe-1024", () -> Obs.server().suites(TlsVersion.TLS_1_2, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384").minDh(1024).chain(cert("CN=localhost").key(CertFixture.rsa(3072))
                .issuedBy(LAB.intermediate()).dns("localhost").build().cert(), LAB.intermediate().cert()).build());
        p.put("cbc-sha1", () -> Obs.server().suites(TlsVersion.TLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA").groups("secp256r1", "secp384r1")
                .chain(good.cert(), LAB.intermediate().cert()).build());
        p.put("cn-only", () -> Obs.goodTls().chain(cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf"))
                .issuedBy(LAB.intermediate()).build().cert(), LAB.intermediate().cert()).build());
        p.put("wildcard-too-deep", () -> Obs.goodTls().name("a.b.deep.localhost").chain(cert("CN=*.deep.localhost")
                .key(CertFixture.ec("secp256r1", "leaf")).issuedBy(LAB.intermediate()).dns("*.deep.localhost").build().cert(),
                LAB.intermediate().cert()).build());
        p.put("md5-signature", () -> Obs.goodTls().chain(cert("CN=localhost").key(CertFixture.ec("secp256r1", "leaf"))
                .issuedBy(LAB.root()).signedWith("MD5withRSA").dns("localhost").build().cert()).build());
        p.put("tls-1.3-only", () -> Obs.server().suites(TlsVersion.TLS_1_3, "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384")
                .groups("secp256r1", "secp384r1").chain(good.cert(), LAB.intermediate().cert()).build());
        Map<String, Set<FindingCode>> expected = Map.ofEntries(
                Map.entry("good", Set.of()),
                Map.entry("self-signed", Set.of(UNKNOWN_ISSUER)),
                Map.entry("untrusted-root", Set.of(UNKNOWN_ISSUER)),
                Map.entry("missing-intermediate", Set.of(UNKNOWN_ISSUER)),
                Map.entry("expired", Set.of(EXPIRED_CERTIFICATE)),
                Map.entry("not-yet-valid", Set.of(NOT_YET_VALID_CERTIFICATE)),
                Map.entry("wrong-host", Set.of(BAD_CERT_DOMAIN)),
                Map.entry("sha1-signature", Set.of(WEAK_SIGNATURE_ALGORITHM)),
                Map.entry("rsa-1024", Set.of(WEAK_KEY)),
                Map.entry("tls-1.0-only", Set.of(PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL, CIPHER_NOT_RECOMMENDED)),
                Map.entry("tls-1.1-only", Set.of(PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL, CIPHER_NOT_RECOMMENDED)),
                Map.entry("no-pfs", Set.of(CIPHER_NOT_RECOMMENDED)),
                Map.entry("no-starttls", Set.of(NO_STARTTLS)),
                Map.entry("starttls-broken", Set.of(STARTTLS_FAILED)),
                Map.entry("shame", Set.of(UNKNOWN_ISSUER, EXPIRED_CERTIFICATE, BAD_CERT_DOMAIN, WEAK_SIGNATURE_ALGORITHM,
                        WEAK_KEY, PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL, CIPHER_NOT_RECOMMENDED)),
                Map.entry("dhe-1024", Set.of(WEAK_KEY_EXCHANGE)),
                Map.entry("cbc-sha1", Set.of(CIPHER_NOT_RECOMMENDED)),
                Map.entry("cn-only", Set.of(BAD_CERT_DOMAIN)),
                Map.entry("wildcard-too-deep", Set.of(BAD_CERT_DOMAIN)),
                Map.entry("md5-signature", Set.of(WEAK_SIGNATURE_ALGORITHM)),
                Map.entry("tls-1.3-only", Set.of()));
        assertThat(expected.keySet()).isEqualTo(p.keySet());
        return p.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue(), expected.get(e.getKey())));
    }

    static Set<FindingCode> codes(List<Finding> findings) {
        return findings.stream().map(Finding::code).collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void bsiReportsExactlyTheProfilesCodes(String profile, Supplier<ServerObservation> obs, Set<FindingCode> expected) {
        List<Finding> findings = new PolicyEngine(Policies.builtIn("bsi")).evaluate(obs.get(), CTX);
        assertThat(codes(findings)).as(findings.toString()).isEqualTo(new TreeSet<>(expected));
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.rule()).isNotBlank();
            assertThat(f.message()).isNotBlank();
            assertThat(f.evidence()).isNotBlank();
        });
        assertThat(PolicyEngine.verdict(findings))
                .isEqualTo(expected.isEmpty() ? Verdict.COMPLIANT : Verdict.NON_COMPLIANT);
        if (!expected.isEmpty()) {
            assertThat(findings).as("every expected code is a FAIL under bsi")
                    .filteredOn(f -> f.severity() == Severity.FAIL).extracting(Finding::code)
                    .containsAll(expected.stream().filter(c -> c != CIPHER_NOT_RECOMMENDED).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void opportunisticReportsTheSameCodesButNeverFails(String profile, Supplier<ServerObservation> obs,
                                                       Set<FindingCode> expected) {
        List<Finding> findings = new PolicyEngine(Policies.builtIn("opportunistic")).evaluate(obs.get(), CTX);
        assertThat(codes(findings)).isEqualTo(new TreeSet<>(expected));
        assertThat(findings).noneMatch(f -> f.severity() == Severity.FAIL);
        assertThat(PolicyEngine.verdict(findings)).isEqualTo(Verdict.COMPLIANT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void goodIsCleanEvenUnderBsiStrict(String profile, Supplier<ServerObservation> obs, Set<FindingCode> expected) {
        List<Finding> findings = new PolicyEngine(Policies.builtIn("bsi-strict")).evaluate(obs.get(), CTX);
        if (profile.equals("good") || profile.equals("tls-1.3-only")) {
            assertThat(findings).isEmpty();
        } else {
            assertThat(codes(findings)).containsAll(expected);
            assertThat(PolicyEngine.verdict(findings)).isEqualTo(Verdict.NON_COMPLIANT);
        }
    }
}

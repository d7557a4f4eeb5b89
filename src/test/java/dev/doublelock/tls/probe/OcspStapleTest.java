package dev.doublelock.tls.probe;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.tls.CertFixture;
import dev.doublelock.tls.CertFixture.Issued;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.OcspStaple;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.pki.Pem;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static dev.doublelock.tls.CertFixture.cert;
import static dev.doublelock.tls.CertFixture.ec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OCSP staple's content (issue 13): real {@code openssl s_server -status_file} stapling responses made here with
 * BouncyCastle — good, revoked, expired, about another certificate, signed by an authorized responder and by a stranger —
 * and a server that staples nothing. The prober reads the CertificateStatus message of its TLS 1.2 flights (no extra
 * connection); the policy fails a revoked leaf and warns about a staple a client must discard.
 */
class OcspStapleTest {
    static final Instant NOW = Instant.now();
    static Issued ca;
    static Issued leaf;
    static Issued responder;
    static Issued stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        assumeTrue(OpenSslServer.available(), "openssl not installed at /usr/bin/openssl");
        ca = cert("CN=doublelock OCSP test CA").key(ec("secp256r1", "ocsp-ca")).ca()
                .validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(3650))).build();
        leaf = cert("CN=localhost").key(ec("secp256r1", "ocsp-leaf")).issuedBy(ca).dns("localhost")
                .revocation(null, "http://ocsp.doublelock.invalid/").validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90))).build();
        responder = cert("CN=doublelock OCSP responder").key(ec("secp256r1", "ocsp-responder")).issuedBy(ca)
                .usage(KeyUsage.digitalSignature, KeyPurposeId.id_kp_OCSPSigning)
                .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90))).build();
        stranger = cert("CN=somebody else").key(ec("secp256r1", "ocsp-stranger")).validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90))).build();
    }

    /** A DER OCSPResponse about {@code serial} (of {@code ca}'s leaves), signed by {@code signer}, including {@code certs}. */
    static byte[] response(BigInteger serial, CertificateStatus status, Instant thisUpdate, Instant nextUpdate, Issued signer,
                           Issued... certs) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(ca.cert()), serial);
        BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(new JcaX509CertificateHolder(signer.cert()).getSubject()));
        b.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate), null);
        X509CertificateHolder[] included = new X509CertificateHolder[certs.length];
        for (int i = 0; i < certs.length; i++) included[i] = new JcaX509CertificateHolder(certs[i].cert());
        var basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.keys().getPrivate()), included, Date.from(NOW));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    static byte[] good() throws Exception {
        return response(leaf.cert().getSerialNumber(), CertificateStatus.GOOD, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), ca);
    }

    /** Probes an s_server (TLS 1.2, leaf + CA sent) stapling {@code staple} (null: none), and judges it under bsi. */
    private Result probe(byte[] staple) throws Exception {
        return probe(staple, "-tls1_2");
    }

    private Result probe(byte[] staple, String version) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(version, "-cert_chain", write("ca", Pem.encode(ca.cert()))));
        if (staple != null) {
            Path f = dir.resolve("staple-" + System.nanoTime() + ".der");
            Files.write(f, staple);
            args.addAll(List.of("-status_file", f.toString()));
        }
        try (OpenSslServer s = OpenSslServer.start(dir, Pem.encode(leaf.cert()), Pem.encode(leaf.keys().getPrivate()), args)) {
            ServerObservation o = new TlsProber(ProbeOptions.defaults().withVulnerabilityProbes(false)
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)))
                    .probe(new ProbeTarget(s.address(), Transport.PLAIN_TLS, "localhost"));
            List<Finding> findings = new PolicyEngine(Policies.builtIn("bsi")).evaluate(o,
                    new PolicyContext(new ChainInspector(List.of(ca.cert()), false), Instant.now(), 2026));
            return new Result(o, findings.stream().filter(f -> f.code() == FindingCode.CERTIFICATE_REVOKED
                    || f.code() == FindingCode.OCSP_STAPLE_INVALID || f.code() == FindingCode.NO_REVOCATION_INFO).toList(), s.describe());
        }
    }

    record Result(ServerObservation obs, List<Finding> findings, String server) {
        OcspStaple staple() {
            assertThat(obs.ocspStaple()).as(server + "\n" + obs.untested()).isPresent();
            return obs.ocspStaple().get();
        }
    }

    private String write(String name, String pem) throws Exception {
        Path p = dir.resolve(name + ".pem");
        Files.writeString(p, pem);
        return p.toString();
    }

    @Test
    void aGoodStapleFromTheIssuerIsReadAndPasses() throws Exception {
        Result r = probe(good());
        OcspStaple s = r.staple();
        assertThat(s.responseStatus()).isEqualTo(OcspStaple.ResponseStatus.SUCCESSFUL);
        assertThat(s.certStatus()).contains(OcspStaple.CertStatus.GOOD);
        assertThat(s.forLeaf()).isTrue();
        assertThat(s.signer()).isEqualTo(OcspStaple.Signer.ISSUER);
        assertThat(s.nextUpdate()).isPresent();
        assertThat(s.thisUpdate().get()).isBefore(Instant.now());
        assertThat(r.obs().ocspStapling()).contains(true);
        assertThat(r.findings()).as(r.findings().toString()).isEmpty();
    }

    /** A server that speaks only TLS 1.3 staples in its encrypted Certificate message: read from the chain capture. */
    @Test
    void aTls13OnlyServersStapleIsReadToo() throws Exception {
        Result r = probe(good(), "-tls1_3");
        OcspStaple s = r.staple();
        assertThat(s.certStatus()).contains(OcspStaple.CertStatus.GOOD);
        assertThat(s.forLeaf()).isTrue();
        assertThat(r.obs().ocspStapling()).contains(true);
        assertThat(r.findings()).as(r.findings().toString()).isEmpty();

        Instant when = NOW.minus(Duration.ofDays(2));
        Result revoked = probe(response(leaf.cert().getSerialNumber(), new RevokedStatus(Date.from(when),
                CRLReason.keyCompromise), NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), ca), "-tls1_3");
        assertThat(revoked.findings()).extracting(Finding::code).containsExactly(FindingCode.CERTIFICATE_REVOKED);

        Result none = probe(null, "-tls1_3");
        assertThat(none.obs().ocspStaple()).isEmpty();
        assertThat(none.obs().ocspStapling()).as("asked, and nothing stapled").contains(false);
    }

    @Test
    void aRevokedLeafFails() throws Exception {
        Instant when = NOW.minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Result r = probe(response(leaf.cert().getSerialNumber(), new RevokedStatus(Date.from(when), CRLReason.keyCompromise),
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), ca));
        assertThat(r.staple().certStatus()).contains(OcspStaple.CertStatus.REVOKED);
        assertThat(r.staple().revocationTime()).contains(when);
        assertThat(r.staple().revocationReason()).contains("keyCompromise");
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.CERTIFICATE_REVOKED);
            assertThat(f.severity()).isEqualTo(Severity.FAIL);
            assertThat(f.evidence()).contains("revoked", "keyCompromise");
        });
    }

    @Test
    void anExpiredStapleWarns_andSoDoesUnknown() throws Exception {
        Result expired = probe(response(leaf.cert().getSerialNumber(), CertificateStatus.GOOD,
                NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(3)), ca));
        assertThat(expired.staple().certStatus()).contains(OcspStaple.CertStatus.GOOD);
        assertThat(expired.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.OCSP_STAPLE_INVALID);
            assertThat(f.severity()).isEqualTo(Severity.WARN);
            assertThat(f.evidence()).contains("expired", "nextUpdate");
        });
        Result unknown = probe(response(leaf.cert().getSerialNumber(), new UnknownStatus(),
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), ca));
        assertThat(unknown.staple().certStatus()).contains(OcspStaple.CertStatus.UNKNOWN);
        assertThat(unknown.findings()).singleElement().satisfies(f -> assertThat(f.evidence()).contains("unknown"));
    }

    @Test
    void aStapleAboutAnotherCertificateWarns() throws Exception {
        Result r = probe(response(leaf.cert().getSerialNumber().add(BigInteger.ONE), CertificateStatus.GOOD,
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), ca));
        assertThat(r.staple().forLeaf()).isFalse();
        assertThat(r.staple().certStatus()).isEmpty();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(FindingCode.OCSP_STAPLE_INVALID);
            assertThat(f.evidence()).contains("not about the server's certificate");
        });
    }

    @Test
    void anAuthorizedResponderPasses_aStrangersSignatureWarns() throws Exception {
        Result delegated = probe(response(leaf.cert().getSerialNumber(), CertificateStatus.GOOD,
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), responder, responder));
        assertThat(delegated.staple().signer()).isEqualTo(OcspStaple.Signer.DELEGATED_RESPONDER);
        assertThat(delegated.findings()).isEmpty();

        Result forged = probe(response(leaf.cert().getSerialNumber(), new RevokedStatus(Date.from(NOW), CRLReason.keyCompromise),
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), stranger, stranger));
        assertThat(forged.staple().signer()).isEqualTo(OcspStaple.Signer.NOT_AUTHORIZED);
        assertThat(forged.findings()).as("a revocation nobody authorized is no revocation, but the staple is bad")
                .singleElement().satisfies(f -> {
                    assertThat(f.code()).isEqualTo(FindingCode.OCSP_STAPLE_INVALID);
                    assertThat(f.evidence()).contains("did not authorize");
                });

        Result unsigned = probe(response(leaf.cert().getSerialNumber(), CertificateStatus.GOOD,
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), stranger));
        assertThat(unsigned.staple().signer()).isEqualTo(OcspStaple.Signer.BAD_SIGNATURE);
        assertThat(unsigned.findings()).singleElement().satisfies(f -> assertThat(f.evidence()).contains("does not verify"));
    }

    @Test
    void theStapleAndResumptionAreInTheJsonTextAndHtmlReports() throws Exception {
        Path staple = dir.resolve("revoked.der");
        Files.write(staple, response(leaf.cert().getSerialNumber(), new RevokedStatus(Date.from(NOW), CRLReason.superseded),
                NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)), ca));
        String trust = write("trust", Pem.encode(ca.cert()));
        try (OpenSslServer s = OpenSslServer.start(dir, Pem.encode(leaf.cert()), Pem.encode(leaf.keys().getPrivate()),
                List.of("-tls1_2", "-cert_chain", write("ca", Pem.encode(ca.cert())), "-status_file", staple.toString()))) {
            String target = "tls://127.0.0.1:" + s.port();
            Path html = dir.resolve("report.html");
            java.io.StringWriter json = new java.io.StringWriter();
            dev.doublelock.cli.CheckCommand.run(new java.io.PrintWriter(json), new java.io.PrintWriter(new java.io.StringWriter()),
                    target, "--json", "--trust", trust, "--name", "localhost", "--html", html.toString());
            var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString().lines()
                    .filter(l -> !l.isBlank()).findFirst().orElseThrow());
            assertThat(dev.doublelock.check.JsonSchemaCheck.committed().violations(report)).isEmpty();
            var host = report.get("hosts").get(0);
            assertThat(host.get("ocsp_staple").get("cert_status").asText()).as(host.toString()).isEqualTo("REVOKED");
            assertThat(host.get("ocsp_staple").get("revocation_reason").asText()).isEqualTo("superseded");
            assertThat(host.get("ocsp_staple").get("signer").asText()).isEqualTo("ISSUER");
            assertThat(host.get("ocsp_staple").get("for_leaf").asBoolean()).isTrue();
            assertThat(host.get("session_resumption").get("session_id").asBoolean()).as(host.toString()).isTrue();
            assertThat(host.get("session_resumption").get("ticket").asBoolean()).isTrue();
            assertThat(host.get("vulnerabilities").get("ticketbleed").get("status").asText()).isEqualTo("NOT_VULNERABLE");
            assertThat(host.get("findings").toString()).contains("CERTIFICATE_REVOKED");

            java.io.StringWriter text = new java.io.StringWriter();
            dev.doublelock.cli.CheckCommand.run(new java.io.PrintWriter(text), new java.io.PrintWriter(new java.io.StringWriter()),
                    target, "--trust", trust, "--name", "localhost");
            assertThat(text.toString()).contains("staple: revoked", "(superseded)", "resumption ID yes, ticket yes",
                    "Ticketbleed: not vulnerable", "CERTIFICATE_REVOKED");
            assertThat(Files.readString(html)).contains("staple: revoked", "resumption ID yes, ticket yes", "CERTIFICATE_REVOKED");
        }
    }

    @Test
    void aServerThatStaplesNothingHasNoStapleAndNoFinding() throws Exception {
        Result r = probe(null);
        assertThat(r.obs().ocspStaple()).isEmpty();
        assertThat(r.obs().ocspStapling()).as(r.server()).isPresent();
        assertThat(r.findings()).isEmpty();
    }
}

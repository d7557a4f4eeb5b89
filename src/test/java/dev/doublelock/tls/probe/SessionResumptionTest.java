package dev.doublelock.tls.probe;

import dev.doublelock.finding.Finding;
import dev.doublelock.finding.FindingCode;
import dev.doublelock.finding.Severity;
import dev.doublelock.policy.Policies;
import dev.doublelock.policy.PolicyContext;
import dev.doublelock.policy.PolicyEngine;
import dev.doublelock.tls.ChainInspector;
import dev.doublelock.tls.Exposure;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.Vulnerability;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Session resumption by ID and by ticket against real {@code openssl s_server}s with the session cache and tickets on
 * and off (issue 13), and Ticketbleed (CVE-2016-9244) against the same real server behind a relay that answers ticket
 * hellos like an unpatched F5 ({@link TicketbleedProxy}) and behind a relay that passes everything on (its fixed twin).
 */
class SessionResumptionTest {
    static TestCertificates certs;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOpenSsl() {
        assumeTrue(OpenSslServer.available(), "openssl not installed at /usr/bin/openssl");
        certs = TestCertificates.rsa("localhost");
    }

    private ServerObservation probe(Function<OpenSslServer, java.net.InetSocketAddress> front, String... args) throws Exception {
        try (OpenSslServer s = OpenSslServer.start(dir, certs.pem(), certs.keyPem(), List.of(args))) {
            ServerObservation o = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)))
                    .probe(new ProbeTarget(front.apply(s), Transport.PLAIN_TLS, "localhost"));
            assertThat(o.untested()).as(s.describe()).noneMatch(u -> u.startsWith("session resumption") || u.startsWith("ticketbleed"));
            return o;
        }
    }

    private ServerObservation probe(String... args) throws Exception {
        return probe(OpenSslServer::address, args);
    }

    private static Exposure ticketbleed(ServerObservation o) {
        assertThat(o.vulnerabilities()).as(o.untested().toString()).containsKey(Vulnerability.TICKETBLEED);
        return o.vulnerabilities().get(Vulnerability.TICKETBLEED);
    }

    @Test
    void cacheAndTickets_bothResume() throws Exception {
        ServerObservation o = probe("-tls1_2");
        assertThat(o.resumption().bySessionId()).as(o.resumption().detail()).contains(true);
        assertThat(o.resumption().byTicket()).as(o.resumption().detail()).contains(true);
        assertThat(ticketbleed(o).status()).as(ticketbleed(o).evidence()).isEqualTo(Exposure.Status.NOT_VULNERABLE);
        assertThat(ticketbleed(o).evidence()).contains("as sent");
    }

    @Test
    void noTickets_resumesByIdOnly_andTicketbleedDoesNotApply() throws Exception {
        ServerObservation o = probe("-tls1_2", "-no_ticket");
        assertThat(o.sessionTickets()).contains(false);
        assertThat(o.resumption().bySessionId()).as(o.resumption().detail()).contains(true);
        assertThat(o.resumption().byTicket()).isEmpty();
        assertThat(ticketbleed(o).status()).isEqualTo(Exposure.Status.NOT_APPLICABLE);
    }

    @Test
    void noCache_resumesByTicketOnly() throws Exception {
        ServerObservation o = probe("-tls1_2", "-no_cache");
        assertThat(o.resumption().bySessionId()).as(o.resumption().detail()).contains(false);
        assertThat(o.resumption().byTicket()).as(o.resumption().detail()).contains(true);
    }

    @Test
    void ticketbleedFoundBehindTheBleedingRelayAndNotBehindThePlainOne() throws Exception {
        try (OpenSslServer s = OpenSslServer.start(dir, certs.pem(), certs.keyPem(), List.of("-tls1_2"));
             TicketbleedProxy bleeding = new TicketbleedProxy(s.address(), true);
             TicketbleedProxy plain = new TicketbleedProxy(s.address(), false)) {
            TlsProber prober = new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)));
            ServerObservation vulnerable = prober.probe(new ProbeTarget(bleeding.address(), Transport.PLAIN_TLS, "localhost"));
            Exposure v = ticketbleed(vulnerable);
            assertThat(v.status()).as(v.evidence()).isEqualTo(Exposure.Status.VULNERABLE);
            assertThat(v.evidence()).contains("32 bytes", "26 bytes of its memory");
            List<Finding> findings = new PolicyEngine(Policies.builtIn("bsi")).evaluate(vulnerable,
                    PolicyContext.of(new ChainInspector(List.of(certs.certificate()), false)));
            assertThat(findings).filteredOn(f -> f.code() == FindingCode.TICKETBLEED).singleElement()
                    .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.FAIL));

            ServerObservation fixed = prober.probe(new ProbeTarget(plain.address(), Transport.PLAIN_TLS, "localhost"));
            assertThat(ticketbleed(fixed).status()).as(ticketbleed(fixed).evidence()).isEqualTo(Exposure.Status.NOT_VULNERABLE);
            assertThat(new PolicyEngine(Policies.builtIn("bsi")).evaluate(fixed,
                    PolicyContext.of(new ChainInspector(List.of(certs.certificate()), false))))
                    .noneMatch(f -> f.code() == FindingCode.TICKETBLEED);
        }
    }
}

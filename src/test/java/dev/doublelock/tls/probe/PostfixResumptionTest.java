package dev.doublelock.tls.probe;

import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.ServerObservation;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Session resumption against a real Postfix smtpd over STARTTLS (issue 13: "Postfix for session tickets"): Postfix
 * issues tickets by default (tls_session_ticket_cipher) and keeps no session cache unless
 * smtpd_tls_session_cache_database is set, so the probe sees a ticket resumption and no session-ID one; with the
 * ticket cipher emptied, neither.
 */
class PostfixResumptionTest {
    static ServerObservation probe(Map<String, String> extra) throws Exception {
        assumeTrue(PostfixInstance.available(), "needs Debian's postfix (installed by .ci/run)");
        CertifiedKey leaf = new CertificateBuilder().rsa(2048).dnsNames("localhost").build();
        Path certs = Files.createTempDirectory(Path.of("/tmp"), "doublelock-resumption-");
        Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path chain = certs.resolve("chain.pem");
        Path key = certs.resolve("key.pem");
        Pem.write(chain, Pem.encode(List.of(leaf.leaf())));
        Pem.write(key, Pem.encode(leaf.privateKey()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        int port = PostfixInstance.freePort();
        java.util.Map<String, String> cf = new java.util.LinkedHashMap<>(Map.of("smtpd_tls_protocols", ">=TLSv1.2, <=TLSv1.2"));
        cf.putAll(extra);
        try (PostfixInstance postfix = PostfixInstance.receiver(port, "resume.test", chain, key, cf).start()) {
            return new TlsProber(ProbeOptions.defaults()
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(90)))
                    .probe(new ProbeTarget(new InetSocketAddress("127.0.0.1", port), Transport.SMTP_STARTTLS, "localhost"));
        }
    }

    @Test
    void postfixResumesByTicketByDefaultAndByNothingWithoutTheTicketCipher() throws Exception {
        ServerObservation byDefault = probe(Map.of());
        assertThat(byDefault.untested()).noneMatch(u -> u.startsWith("session resumption"));
        assertThat(byDefault.resumption().byTicket()).as(byDefault.resumption().detail()).contains(true);
        assertThat(byDefault.resumption().bySessionId()).as(byDefault.resumption().detail()).contains(false);

        ServerObservation noTickets = probe(Map.of("tls_session_ticket_cipher", ""));
        assertThat(noTickets.resumption().byTicket()).as(noTickets.resumption().detail()).isNotEqualTo(java.util.Optional.of(true));
        assertThat(noTickets.resumption().bySessionId()).as(noTickets.resumption().detail()).contains(false);
    }
}

package dev.doublelock.lab;

import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.testing.UnboundInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Postfix (Debian package) as a DANE sender — {@code smtp_tls_security_level = dane}, {@code
 * smtp_dns_support_level = dnssec} — resolving through a real validating unbound that has the lab zone's trust
 * anchor, sends one message to every DANE scenario. For each, Postfix must do what RFC 7672 requires (deliver, or
 * defer), and the lab's verdict must agree with Postfix's own log.
 *
 * <p>How a private Postfix gets a private resolver without touching the system's /etc/resolv.conf: Debian runs the
 * smtp client chrooted into the queue directory (master.cf, chroot {@code y}), where the C library's resolver reads
 * {@code <queue_directory>/etc/resolv.conf} (Debian's init scripts copy the system's there; a private instance
 * started with {@code postfix -c} gets none, so the test writes its own). resolv.conf names a server by address only
 * (port 53), so unbound listens on a random 127.x.y.z of its own, port 53; {@code options trust-ad} makes glibc
 * (2.31 and newer) pass unbound's AD bit on to Postfix.
 */
class PostfixDaneSenderTest {
    static final String ZONE = "lab.test.";
    static final String HELO = "postfix-dane.doublelock.test";
    static final Set<Verdict> NOT_DELIVERED = Set.of(Verdict.REFUSED_AT_HANDSHAKE, Verdict.REFUSED_AFTER_HANDSHAKE,
            Verdict.ABANDONED);

    @TempDir
    static Path data;
    static Lab lab;
    static UnboundInstance unbound;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and Debian's postfix package (installed by .ci/run)");
        assumeTrue(UnboundInstance.available(), "needs Debian's unbound (installed by .ci/run)");
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data)
                .withDns(Optional.of(LabDnsOptions.of(ZONE, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))));
        Lab.RunningDns dns = lab.dns().orElseThrow();
        unbound = UnboundInstance.start(ZONE, dns.ds().rdataToString(), dns.address(),
                List.of(LabZone.domain(LabProfile.DANE_INSECURE, dns.origin()).toString()), port53OfItsOwn());
    }

    @AfterAll
    static void stop() {
        if (unbound != null) unbound.close();
        if (lab != null) lab.close();
    }

    /** A loopback address nobody listens on at port 53 (UDP and TCP) a moment ago. */
    static InetSocketAddress port53OfItsOwn() throws IOException {
        Random random = new Random();
        for (int attempt = 0; attempt < 20; attempt++) {
            InetAddress a = InetAddress.getByAddress(new byte[] {127, 53, (byte) (1 + random.nextInt(250)), (byte) (1 + random.nextInt(250))});
            InetSocketAddress s = new InetSocketAddress(a, 53);
            try (DatagramSocket u = new DatagramSocket(s); ServerSocket t = new ServerSocket()) {
                t.bind(s);
                return s;
            } catch (IOException taken) {
                // try another address
            }
        }
        throw new IOException("no free port 53 on 127.53.0.0/16");
    }

    @Test
    void postfixDoesWhatRfc7672RequiresAtEveryDaneScenarioAndTheLabRecordsExactlyThat() throws Exception {
        Name zone = lab.dns().orElseThrow().origin();
        List<LabProfile> scenarios = java.util.Arrays.stream(LabProfile.values()).filter(p -> p.dane().isPresent()).toList();
        StringBuilder transport = new StringBuilder();
        for (LabProfile p : scenarios) {
            // no brackets: Postfix looks up the MX, and its TLSA records at _<port>._tcp.<mx>
            String domain = LabZone.domain(p, zone).toString(true);
            transport.append(domain).append(" smtp:").append(domain).append(':').append(lab.endpoint(p).port()).append('\n');
        }
        Files.writeString(data.resolve("transport"), transport);
        Map<String, String> cf = Map.of(
                "myhostname", HELO,
                "transport_maps", "texthash:" + data.resolve("transport"),
                "smtp_tls_security_level", "dane",
                "smtp_dns_support_level", "dnssec",
                "dnssec_probe", "ns:" + ZONE);
        try (PostfixInstance postfix = PostfixInstance.create(cf, List.of())) {
            // the private resolv.conf works only where the smtp client is chrooted (Debian's master.cf)
            assumeTrue(Files.readAllLines(postfix.file("master.cf")).stream()
                            .map(l -> l.trim().split("\\s+")).anyMatch(f -> f.length >= 8 && f[0].equals("smtp")
                                    && f[1].equals("unix") && f[4].equals("y")),
                    "needs Debian's master.cf, whose smtp client runs chrooted (else it would read the system's resolv.conf)");
            Path etc = Files.createDirectories(postfix.file("queue").resolve("etc"));
            Files.writeString(etc.resolve("resolv.conf"), "nameserver " + unbound.address().getAddress().getHostAddress()
                    + "\noptions trust-ad edns0 attempts:1 timeout:5\n");
            postfix.start();
            for (LabProfile p : scenarios) {
                postfix.send("postmaster@doublelock.test", rcpt(p, zone), "dane " + p, "dane-" + p + "@doublelock.test", "hello");
            }
            List<String> table = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (LabProfile p : scenarios) {
                Optional<PostfixInstance.Status> status = postfix.awaitStatus(rcpt(p, zone), Duration.ofSeconds(30),
                        "sent", "deferred", "bounced");
                assertThat(status).as("Postfix logged no status for %s:%n%s", p, postfix.maillog()).isPresent();
                boolean sent = status.get().status().equals("sent");
                Optional<Verdict> verdict = awaitVerdict(p, sent);
                String says = sent ? "sent" : status.get().status() + ": " + status.get().detail();
                table.add(String.format("%-20s %-22s %-26s %s", p, p.expectation().words(),
                        verdict.map(Verdict::name).orElse("(no session)"), says));
                // the lab agrees with Postfix's log
                if (sent) {
                    assertThat(verdict).as("%s: Postfix says %s", p, says).contains(Verdict.DELIVERED);
                } else {
                    assertThat(verdict.isEmpty() || NOT_DELIVERED.contains(verdict.get()))
                            .as("%s: Postfix says %s, the lab says %s", p, says, verdict).isTrue();
                }
                // Postfix does what RFC 7672 requires
                if (p.expectation().delivers() != sent) wrong.add(p + ": expected " + p.expectation().words() + ", Postfix " + says);
            }
            System.out.println("Postfix (dane, dnssec) against the lab's DANE scenarios:\n" + String.join("\n", table));
            // what the lab shows for this sender (lab results --dane, the page): passed where it connected, not seen
            // where Postfix deferred before connecting, nothing failed
            ResultsMatrix.Row row = ResultsMatrix.of(lab.records().all(0)).rows().stream()
                    .filter(r -> HELO.equals(r.ehloName())).findFirst().orElseThrow();
            assertThat(row.dane()).hasSize(scenarios.size()).allSatisfy(d -> assertThat(d.result())
                    .as(d.line()).isEqualTo(d.verdict().isPresent() ? DaneScenarioResult.Result.PASSED
                            : DaneScenarioResult.Result.NOT_SEEN));
            assertThat(row.failed()).isEmpty();
            assertThat(wrong).as(String.join("\n", table) + "\n" + postfix.maillog()).isEmpty();
            String log = postfix.maillog();
            assertThat(log).as("DANE-EE and DANE-TA authenticate").containsPattern(
                    "Verified TLS connection established to dane-ee\\.lab\\.test\\[127\\.0\\.0\\.1\\]")
                    .containsPattern("Verified TLS connection established to dane-ta\\.lab\\.test\\[127\\.0\\.0\\.1\\]");
            assertThat(log).as("no usable DANE: Postfix falls back to unauthenticated TLS ('may')")
                    .containsPattern("Untrusted TLS connection established to dane-insecure\\.lab\\.test\\[127\\.0\\.0\\.1\\]")
                    .containsPattern("Untrusted TLS connection established to dane-no-tlsa\\.lab\\.test\\[127\\.0\\.0\\.1\\]");
        }
    }

    /**
     * The worst verdict of this Postfix's sessions with a profile: once the lab has one when Postfix delivered, or
     * after a grace period for the sessions of a refusal (none at all when Postfix never connected).
     */
    private static Optional<Verdict> awaitVerdict(LabProfile p, boolean delivered) throws InterruptedException {
        Verdict worst = null;
        for (int i = 0; i < (delivered ? 100 : 20); i++) {
            worst = null;
            for (SessionRecord r : lab.records().all(0)) {
                if (r.profile().equals(p.profileName()) && HELO.equals(r.ehloName())) worst = Verdict.worst(worst, r.verdict());
            }
            if (delivered && worst != null && (worst == Verdict.DELIVERED || worst.failsTest())) break;
            Thread.sleep(50);
        }
        return Optional.ofNullable(worst);
    }

    private static String rcpt(LabProfile p, Name zone) {
        return "probe@" + LabZone.domain(p, zone).toString(true);
    }
}

package dev.doublelock.lab;

import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.testing.UnboundInstance;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real MTA-STS sender against every MTA-STS scenario: Debian's {@code postfix-mta-sts-resolver} (mta-sts-daemon)
 * answering a private Postfix's {@code smtp_tls_policy_maps} over its socketmap, both resolving through a private
 * validating unbound that has the lab zone's trust anchor, the daemon trusting the lab CA ({@code SSL_CERT_FILE}).
 *
 * <p>Neither can be given a resolver address or an HTTPS port: the daemon's aiodns (c-ares) and aiohttp (getaddrinfo)
 * and Postfix's libc resolver read resolv.conf, and the daemon always fetches from port 443. So unbound listens on
 * {@value #RESOLVER}:53; the daemon runs in a mount namespace of its own ({@code unshare -m}) in which a resolv.conf
 * naming it is bind-mounted over /etc/resolv.conf; Postfix's smtp runs chrooted in its queue directory (Debian's
 * master.cf) and reads the same file copied to {@code queue/etc/resolv.conf}; the lab's policy host listens on
 * {@value #POLICY_HOST}:443 (CI runs as root). The scenario MXs listen on {@value #MX}, not on Postfix's own 127.0.0.1 (Postfix would call an MX
 * on its own address a mail loop). Postfix reaches them with {@code smtp:<domain>:<port>}: an MX lookup, the lab's
 * port, and the daemon is asked for {@code <domain>}.
 */
@Timeout(120)
class PostfixMtaStsInteropTest {
    static final String ZONE = "lab.test.";
    static final String RESOLVER = "127.0.0.81";
    static final String POLICY_HOST = "127.0.0.82";
    static final String MX = "127.0.0.83";
    static final String DAEMON = "/usr/bin/mta-sts-daemon";
    static final String HELO = "postfix-mta-sts.doublelock.test";

    @TempDir
    static Path data;
    static Lab lab;
    static UnboundInstance unbound;
    static Process daemon;
    static Path daemonLog;
    static PostfixInstance postfix;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and Debian's postfix package (installed by .ci/run)");
        assumeTrue(UnboundInstance.available(), "no unbound at " + UnboundInstance.BINARY + " (Debian package unbound)");
        assumeTrue(Files.isExecutable(Path.of(DAEMON)), "no " + DAEMON + " (Debian package postfix-mta-sts-resolver)");
        assumeTrue(bindable(RESOLVER, 53) && bindable(POLICY_HOST, 443),
                "cannot bind " + RESOLVER + ":53 and " + POLICY_HOST + ":443 (needs root, as in CI)");
        assumeTrue(unshareWorks(), "'unshare -m' with a bind mount is not permitted here (needs root, as in CI)");

        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data)
                .withDns(Optional.of(LabDnsOptions.of(ZONE, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))))
                .withMtaSts(Optional.of(new MtaStsOptions(new InetSocketAddress(POLICY_HOST, 443),
                        InetAddress.getByName(MX), 0))));
        Lab.RunningDns dns = lab.dns().orElseThrow();
        unbound = UnboundInstance.start(ZONE, dns.ds().rdataToString(), dns.address(), List.of(),
                new InetSocketAddress(RESOLVER, 53));
        for (MtaStsScenario s : MtaStsScenario.values()) {
            org.xbill.DNS.Message mx = unbound.ask(domain(s) + ".", org.xbill.DNS.Type.MX);
            assertThat(mx.getRcode()).as("%s MX through unbound:%n%s%n%s", s, mx, unbound.log()).isZero();
            assertThat(mx.getHeader().getFlag(org.xbill.DNS.Flags.AD)).as("%s MX validated", s).isTrue();
        }

        Path resolvConf = data.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver " + RESOLVER + "\noptions timeout:2 attempts:2\n");
        Path ca = data.resolve("lab-ca.pem");
        Files.writeString(ca, Pem.encode(lab.pki("localhost").caCertificate()));
        List<String> ownResolver = List.of("unshare", "-m", "sh", "-c",
                "mount --bind " + resolvConf + " /etc/resolv.conf && exec \"$@\"", "sh");

        int daemonPort = PostfixInstance.freePort();
        Path config = data.resolve("mta-sts-daemon.yml");
        Files.writeString(config, String.join("\n", "host: 127.0.0.1", "port: " + daemonPort, "reuse_port: true",
                "shutdown_timeout: 1", "cache:", "  type: internal", "  options:", "    cache_size: 100",
                "default_zone:", "  strict_testing: false", "  timeout: 4", ""));
        daemonLog = data.resolve("mta-sts-daemon.log");
        List<String> command = new ArrayList<>(ownResolver);
        command.addAll(List.of(DAEMON, "-c", config.toString(), "-v", "debug", "-l", daemonLog.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("mta-sts-daemon.out").toFile());
        pb.environment().put("SSL_CERT_FILE", ca.toString());
        pb.environment().remove("https_proxy");
        pb.environment().remove("HTTPS_PROXY");
        daemon = pb.start();
        awaitListening(daemonPort);

        StringBuilder transport = new StringBuilder();
        for (Lab.RunningScenario r : lab.mtaStsEndpoints()) {
            String domain = domain(r.scenario());
            transport.append(domain).append(" smtp:").append(domain).append(':').append(r.port()).append('\n');
        }
        Files.writeString(data.resolve("transport"), transport);
        postfix = PostfixInstance.create(Map.of(
                "myhostname", HELO,
                "transport_maps", "texthash:" + data.resolve("transport"),
                "smtp_tls_security_level", "may",
                "smtp_tls_policy_maps", "socketmap:inet:127.0.0.1:" + daemonPort + ":postfix",
                "smtp_tls_CAfile", ca.toString()), List.of());
        // Debian's master.cf runs smtp chrooted in the queue directory: its libc reads the resolv.conf there
        Files.createDirectories(postfix.directory().resolve("queue/etc"));
        Files.copy(resolvConf, postfix.directory().resolve("queue/etc/resolv.conf"));
        postfix.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (postfix != null) postfix.close();
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) daemon.destroyForcibly();
        }
        if (unbound != null) unbound.close();
        if (lab != null) lab.close();
    }

    @Test
    void labVerdictsAgreeWithPostfixAndTheResolverPassesEveryScenario() throws Exception {
        for (MtaStsScenario s : MtaStsScenario.values()) {
            postfix.send("postmaster@doublelock.test", rcpt(s), "mta-sts " + s, s + "@doublelock.test", "hello");
        }
        List<String> table = new ArrayList<>();
        for (MtaStsScenario s : MtaStsScenario.values()) {
            Optional<PostfixInstance.Status> status = awaitFinalStatus(s);
            assertThat(status).as("Postfix logged no status for %s:%n%s%n%s", s, postfix.maillog(), daemonLog())
                    .isPresent();
            boolean sent = status.get().status().equals("sent");
            MtaStsResults.Cell cell = awaitCell(s, sent);
            table.add(String.format("%-26s %-8s %-30s %s", s, status.get().status(), cell.words(),
                    sent ? "" : status.get().detail()));
            assertThat(cell.verdict()).as("%s: the lab saw Postfix's session", s).isPresent();
            if (sent) {
                assertThat(cell.verdict().get()).as("%s: Postfix says sent", s)
                        .isIn(Verdict.DELIVERED, Verdict.DELIVERED_INSECURELY);
            } else {
                assertThat(cell.verdict().get()).as("%s: Postfix says %s", s, status.get().detail())
                        .isIn(Verdict.REFUSED_AT_HANDSHAKE, Verdict.REFUSED_AFTER_HANDSHAKE, Verdict.ABANDONED);
            }
            assertThat(cell.outcome()).as("%s: postfix-mta-sts-resolver does what RFC 8461 requires:%n%s%n%s", s,
                    String.join("\n", table), daemonLog()).contains(MtaStsScenario.Outcome.PASSED);
        }
        System.out.println("Postfix + postfix-mta-sts-resolver against the MTA-STS scenarios:\n" + String.join("\n", table));
        // enforce-good went out under the policy (verified against its mx: line), testing mode as without one
        assertThat(postfix.maillog()).contains("Verified TLS connection established to "
                + MtaStsScenario.ENFORCE_GOOD.mxHost(Name.fromConstantString(ZONE)).toString(true));
        assertThat(postfix.maillog()).doesNotContain("Verified TLS connection established to "
                + MtaStsScenario.TESTING_BAD_MX.mxHost(Name.fromConstantString(ZONE)).toString(true));
        // what the daemon did, from its own log: it fetched the valid policies and failed on the invalid host's certificate
        String log = daemonLog();
        assertThat(log).contains("STS policy fetch for domain '" + domain(MtaStsScenario.POLICY_HOST_INVALID_CERT)
                + "' failed");
        assertThat(log).containsPattern("Parsed policy for domain " + domain(MtaStsScenario.ENFORCE_GOOD).replace(".", "\\.")
                + ": .*'mode': 'enforce'");
        assertThat(lab.mtaStsPolicyHost().orElseThrow().fetches())
                .as("every policy was fetched over HTTPS but the one behind an invalid certificate")
                .filteredOn(f -> f.status() == 200).extracting(f -> f.scenario().orElseThrow())
                .contains(MtaStsScenario.ENFORCE_GOOD, MtaStsScenario.ENFORCE_SELF_SIGNED,
                        MtaStsScenario.ENFORCE_MX_NOT_LISTED, MtaStsScenario.TESTING_BAD_MX)
                .doesNotContain(MtaStsScenario.POLICY_HOST_INVALID_CERT);
    }

    /**
     * "sent", or the first "deferred"/"bounced" whose reason is TLS (a refusal), not a DNS answer not there yet:
     * Postfix defers on its first try when unbound is still cold.
     */
    private static Optional<PostfixInstance.Status> awaitFinalStatus(MtaStsScenario s) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            for (PostfixInstance.Status st : postfix.statuses(rcpt(s))) {
                if (st.status().equals("sent") || st.status().equals("bounced")
                        || st.status().equals("deferred") && st.detail().contains("TLS")
                        || st.status().equals("deferred") && st.detail().contains("certificate")) {
                    return Optional.of(st);
                }
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    /** The lab's judgement of this Postfix at one scenario, once its session is recorded. */
    private static MtaStsResults.Cell awaitCell(MtaStsScenario s, boolean delivered) throws InterruptedException {
        MtaStsResults.Cell cell = null;
        for (int i = 0; i < 100; i++) {
            List<SessionRecord> mine = lab.records().all(0).stream().filter(r -> HELO.equals(r.ehloName())).toList();
            Optional<MtaStsResults.Row> row = MtaStsResults.of(mine).rows().stream().findFirst();
            if (row.isPresent()) {
                cell = row.get().cell(s);
                boolean done = cell.verdict().isPresent() && (!delivered || cell.verdict().get() == Verdict.DELIVERED
                        || cell.verdict().get() == Verdict.DELIVERED_INSECURELY);
                if (done) return cell;
            }
            Thread.sleep(50);
        }
        if (cell == null) throw new AssertionError("the lab recorded no session from " + HELO + " at " + s + ":\n" + postfix.maillog() + "\n" + daemonLog());
        return cell;
    }

    static String domain(MtaStsScenario s) {
        return s.domain(Name.fromConstantString(ZONE)).toString(true);
    }

    static String rcpt(MtaStsScenario s) {
        return "probe@" + domain(s);
    }

    private static String daemonLog() {
        try {
            return Files.exists(daemonLog) ? Files.readString(daemonLog, StandardCharsets.UTF_8) : "(no daemon log)";
        } catch (IOException e) {
            return "(daemon log unreadable: " + e + ")";
        }
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName(address));
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount --bind /dev/null /etc/hostname && true")
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitListening(int port) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            if (!daemon.isAlive()) {
                throw new IOException("mta-sts-daemon exited with " + daemon.exitValue() + ": "
                        + Files.readString(data.resolve("mta-sts-daemon.out")) + daemonLog());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("mta-sts-daemon did not listen on " + port + " within 15 s: " + daemonLog());
    }
}

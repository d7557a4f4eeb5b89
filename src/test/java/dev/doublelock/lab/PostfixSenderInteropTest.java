package dev.doublelock.lab;

import dev.doublelock.testing.PostfixInstance;
import dev.doublelock.tls.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Postfix (Debian package) as the sender, once at {@code smtp_tls_security_level=may} and once at
 * {@code secure} with the lab CA trusted, sends one message to every profile. For every profile the lab's
 * verdict must agree with what Postfix's own log says happened. Nothing is assumed about what Postfix does. The DANE
 * scenarios need the lab's DNS: {@link PostfixDaneSenderTest}.
 */
class PostfixSenderInteropTest {
    private static final Set<Verdict> DELIVERED_OVER_TLS = Set.of(Verdict.DELIVERED, Verdict.DELIVERED_INSECURELY);
    private static final Set<Verdict> DELIVERED_PLAIN = Set.of(Verdict.NO_TLS_DELIVERED, Verdict.PLAINTEXT_FALLBACK);
    private static final Set<Verdict> NOT_DELIVERED = Set.of(Verdict.REFUSED_AT_HANDSHAKE,
            Verdict.REFUSED_AFTER_HANDSHAKE, Verdict.ABANDONED);

    @TempDir
    static Path data;
    static Lab lab;

    @BeforeAll
    static void startLab() throws Exception {
        assumeTrue(PostfixInstance.available(), "needs root and Debian's postfix package (installed by .ci/run)");
        dev.doublelock.testing.LabPkiTemplate.seed(data); // the build's lab PKI: no RSA keys made here
        lab = Lab.start(LabOptions.defaults().withBasePort(0).withDataDir(data));
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"may", "secure"})
    void labVerdictAgreesWithPostfixLog(String level) throws Exception {
        Path ca = data.resolve("ca-" + level + ".pem");
        Files.writeString(ca, Pem.encode(lab.pki("localhost").caCertificate()));
        StringBuilder transport = new StringBuilder();
        for (Lab.Running r : lab.endpoints()) {
            transport.append(domain(r.profile())).append(" smtp:[127.0.0.1]:").append(r.port()).append('\n');
        }
        String helo = "postfix-" + level + ".doublelock.test";
        // every profile is matched against its reference name: localhost, but a.b.deep.localhost for wildcard-too-deep
        StringBuilder policies = new StringBuilder();
        for (Lab.Running r : lab.endpoints()) {
            String name = r.profile().referenceName("localhost");
            if (!name.equals("localhost")) {
                policies.append("[127.0.0.1]:").append(r.port()).append(' ').append(level)
                        .append(level.equals("may") ? "" : " match=" + name).append('\n');
            }
        }
        Map<String, String> cf = Map.of(
                "myhostname", helo,
                "transport_maps", "texthash:" + data.resolve("transport-" + level),
                "smtp_tls_policy_maps", "texthash:" + data.resolve("tls-policy-" + level),
                "smtp_tls_security_level", level,
                "smtp_tls_CAfile", ca.toString(),
                "smtp_tls_secure_cert_match", "localhost",
                "smtp_tls_verify_cert_match", "localhost");
        Files.writeString(data.resolve("transport-" + level), transport);
        Files.writeString(data.resolve("tls-policy-" + level), policies);
        try (PostfixInstance postfix = PostfixInstance.create(cf, List.of()).start()) {
            for (LabProfile p : LabProfile.tlsProfiles()) {
                postfix.send("postmaster@doublelock.test", rcpt(p), "interop " + level + " " + p, level + "-" + p + "@doublelock.test", "hello");
            }
            Map<LabProfile, String> postfixSays = new EnumMap<>(LabProfile.class);
            List<String> table = new ArrayList<>();
            for (LabProfile p : LabProfile.tlsProfiles()) {
                Optional<PostfixInstance.Status> first = postfix.awaitStatus(rcpt(p), Duration.ofSeconds(30), "sent", "deferred", "bounced");
                Optional<PostfixInstance.Status> sent = first.filter(s -> s.status().equals("sent"));
                // at 'may' Postfix may retry in plaintext after a failed handshake: give it time to get to "sent";
                // at 'secure' a message it deferred or bounced is not sent later (no retry relaxes the policy)
                if (sent.isEmpty() && level.equals("may")) sent = postfix.awaitStatus(rcpt(p), Duration.ofSeconds(20), "sent");
                Optional<PostfixInstance.Status> status = sent.isPresent() ? sent : first;
                assertThat(status).as("Postfix logged no status for %s:%n%s", p, postfix.maillog()).isPresent();
                int port = lab.endpoint(p).port();
                boolean tls = postfix.maillog().lines().anyMatch(l -> l.contains("TLS connection established to")
                        && l.contains("[127.0.0.1]:" + port + ":"));
                String says = status.get().status().equals("sent") ? (tls ? "sent over TLS" : "sent in plaintext")
                        : status.get().status() + ": " + status.get().detail();
                postfixSays.put(p, says);
                Verdict verdict = awaitVerdict(p, helo, status.get().status().equals("sent"));
                table.add(String.format("%-21s %-24s %s", p, verdict, says));
                if (status.get().status().equals("sent")) {
                    assertThat(verdict).as("%s: Postfix says %s", p, says).isIn(tls ? DELIVERED_OVER_TLS : DELIVERED_PLAIN);
                } else {
                    assertThat(verdict).as("%s: Postfix says %s", p, says).isIn(NOT_DELIVERED);
                }
            }
            System.out.println("Postfix smtp_tls_security_level=" + level + " against the lab:\n" + String.join("\n", table));
            if (level.equals("secure")) {
                assertThat(postfixSays.get(LabProfile.GOOD)).isEqualTo("sent over TLS");
                assertThat(postfixSays.get(LabProfile.SELF_SIGNED)).doesNotStartWith("sent");
                assertThat(postfixSays.get(LabProfile.NO_STARTTLS)).doesNotStartWith("sent");
            } else {
                assertThat(postfixSays.get(LabProfile.NO_STARTTLS)).isEqualTo("sent in plaintext");
                assertThat(postfixSays.get(LabProfile.EXPIRED)).isEqualTo("sent over TLS");
            }
        }
    }

    /** The worst verdict of this Postfix's sessions with a profile, once the sessions are recorded. */
    private static Verdict awaitVerdict(LabProfile p, String helo, boolean expectDelivery) throws InterruptedException {
        Verdict worst = null;
        for (int i = 0; i < 100; i++) {
            worst = null;
            for (SessionRecord r : lab.records().all(0)) {
                if (r.profile().equals(p.profileName()) && helo.equals(r.ehloName())) worst = Verdict.worst(worst, r.verdict());
            }
            if (worst != null && (!expectDelivery || worst.failsTest() || worst == Verdict.DELIVERED)) return worst;
            Thread.sleep(50);
        }
        if (worst == null) throw new AssertionError("the lab recorded no session from " + helo + " on " + p);
        return worst;
    }

    private static String domain(LabProfile p) {
        return p.profileName() + ".lab.test";
    }

    private static String rcpt(LabProfile p) {
        return "probe@" + domain(p);
    }
}

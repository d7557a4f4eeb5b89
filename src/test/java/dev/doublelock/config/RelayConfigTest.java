package dev.doublelock.config;

import dev.doublelock.relay.RelayOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoEditingForALoopbackTrial() throws Exception {
        RelayOptions o = RelayConfig.defaults();
        // issue 10: one data location for every command; the relay's files sit beside the lab's
        assertThat(o.dataDir()).isEqualTo(Path.of("./doublelock-data"));
        assertThat(o.queueLocation()).isEqualTo(Path.of("./doublelock-data/queue.db").toString());
        assertThat(o.submission()).contains(new InetSocketAddress("127.0.0.1", 5587));
        assertThat(o.relay()).contains(new InetSocketAddress("127.0.0.1", 2025));
        assertThat(o.metrics()).contains(new InetSocketAddress("127.0.0.1", 9325));
        assertThat(o.allowedNetworks().allows(InetAddress.getByName("127.9.9.9"))).isTrue();
        assertThat(o.allowedNetworks().allows(InetAddress.getByName("::1"))).isTrue();
        assertThat(o.allowedNetworks().allows(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(o.delivery().defaultPolicy()).isEqualTo("bsi");
        assertThat(o.delivery().mode()).isEqualTo("enforce");
        assertThat(o.delivery().tuning().concurrency()).isEqualTo(20);
        assertThat(o.delivery().tuning().perDestinationConcurrency()).isEqualTo(4);
        assertThat(o.users().isEmpty()).isTrue();
        assertThat(o.tlsCertificate()).isEmpty();
        assertThat(o.dns()).isEqualTo(dev.doublelock.relay.ResolverSettings.SYSTEM);
    }

    @Test
    void theResolverAndItsTrustAnchorCanBeGivenAndAreUsed() throws Exception {
        var signed = new dev.doublelock.dns.TestZones("private.test").txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:r@private.test")
                .sign();
        Path anchor = Files.writeString(dir.resolve("anchor.ds"), signed.anchor().zoneText());
        try (var server = new dev.doublelock.dns.TestDnsServer().add(dev.doublelock.dns.TestZones.zone(signed))) {
            RelayOptions o = RelayConfig.parse("{\"dns\": {\"server\": \"" + server.address() + "\", \"trustAnchor\": \""
                    + anchor + "\"}}", "t.json");
            assertThat(o.dns().server()).contains(server.address());
            assertThat(o.dns().trustAnchor()).contains(anchor);
            var txt = o.dns().build().txt("_smtp._tls.private.test");
            assertThat(txt).as("asked the configured server, validated from the configured anchor: %s", txt)
                    .isInstanceOf(dev.doublelock.dns.Lookup.Found.class);
            assertThat(txt.authentic()).isTrue();
        }
    }

    @Test
    void theExampleFileAtTheRepositoryRootIsValid() {
        RelayOptions o = RelayConfig.read(Path.of("relay.example.json"));
        assertThat(o.users().isEmpty()).isTrue();
        assertThat(o.delivery().domainPolicies()).isNotEmpty();
        assertThat(o.delivery().routes()).isNotEmpty();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        RelayOptions o = RelayConfig.parse("""
                {"dataDir": "/var/lib/dl", "hostName": "relay.example.org", "queue": "jdbc:postgresql://db:5432/q",
                 "submission": {"listen": "[::1]:587"}, "relay": {"listen": "off", "allowedNetworks": ["10.0.0.0/8"]},
                 "metrics": {"listen": "off"}, "limits": {"maxMessageBytes": 1048576, "maxRecipients": 50,
                 "maxConnections": 20, "idleTimeoutSeconds": 60, "maxErrors": 5}, "authFailureDelayMillis": 2000,
                 "authFailureLimit": {"maxFailures": 5, "windowSeconds": 60, "blockSeconds": 120},
                 "policy": {"default": "opportunistic", "mode": "testing", "domains": {"example.org": "bsi-strict"}},
                 "routes": {"example.net": ["[192.0.2.25]:25"]},
                 "delivery": {"concurrency": 64, "perDestinationConcurrency": 32, "leaseSeconds": 7,
                 "pollIntervalMillis": 250, "connectionCacheMillis": 0, "maximalQueueLifetime": "2d",
                 "delayWarningTime": "30m"}}
                """, "t.json");
        assertThat(o.hostName()).isEqualTo("relay.example.org");
        assertThat(o.queueLocation()).isEqualTo("jdbc:postgresql://db:5432/q");
        assertThat(o.submission()).contains(new InetSocketAddress("::1", 587));
        assertThat(o.relay()).isEmpty();
        assertThat(o.metrics()).isEmpty();
        assertThat(o.limits().maxMessageBytes()).isEqualTo(1048576);
        assertThat(o.limits().maxRecipients()).isEqualTo(50);
        assertThat(o.limits().idleTimeout()).hasSeconds(60);
        assertThat(o.authFailureDelay()).hasMillis(2000);
        assertThat(o.delivery().mode()).isEqualTo("testing");
        assertThat(o.delivery().domainPolicies()).containsEntry("example.org", "bsi-strict");
        assertThat(o.delivery().routes().get("example.net")).containsExactly("[192.0.2.25]:25");
        assertThat(o.delivery().tuning()).isEqualTo(new dev.doublelock.relay.DeliveryTuning(64, 32,
                java.time.Duration.ofSeconds(7), java.time.Duration.ofMillis(250), java.time.Duration.ZERO,
                java.time.Duration.ofDays(2), java.time.Duration.ofMinutes(30)));
        assertThat(o.delivery().tuning().schedule().giveUpAfter()).isEqualTo(java.time.Duration.ofDays(2));
        assertThat(o.delivery().tuning().schedule().delayNoticeAfter()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(o.authFailureLimit()).isEqualTo(new dev.doublelock.relay.intake.AuthFailureLimit(5,
                java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(2)));
        assertThat(RelayConfig.defaults().authFailureLimit()).isEqualTo(dev.doublelock.relay.intake.AuthFailureLimit.DEFAULT);
        assertThat(o.tlsReports().enabled()).isFalse();
        assertThat(o.tlsReports().organizationName()).isEqualTo("relay.example.org");
        assertThat(o.tlsReports().contact()).isEqualTo("mailto:postmaster@relay.example.org");
        var rpt = RelayConfig.parse("""
                {"hostName": "mx.example.net", "tlsrpt": {"enabled": true, "organizationName": "Example Net",
                 "contact": "https://example.net/tls", "dkim": {"selector": "r2026", "domain": "example.net"}}}
                """, "t.json").tlsReports();
        assertThat(rpt).isEqualTo(new dev.doublelock.relay.TlsReportConfig(true, "Example Net", "https://example.net/tls",
                java.util.Optional.empty(), "r2026", "example.net"));
        assertThat(RelayConfig.defaults().delivery().tuning().schedule().giveUpAfter()).isEqualTo(java.time.Duration.ofDays(5));
        assertThat(RelayConfig.defaults().delivery().tuning().schedule().delayNoticeAfter()).isEqualTo(java.time.Duration.ofHours(4));
        assertThat(RelayConfig.defaults().delivery().tuning()).isEqualTo(dev.doublelock.relay.DeliveryTuning.defaults());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"relay": {"allowedNetwork": []}}                         | relay.allowedNetwork | known keys here: allowedNetworks, listen
            {"submision": {}}                                         | submision            | known keys here
            {"relay": {"listen": "127.0.0.1"}}                        | relay.listen         | has no port
            {"relay": {"listen": "localhost:25"}}                     | relay.listen         | not an IP address
            {"relay": {"listen": "127.0.0.1:99999"}}                  | relay.listen         | out of range
            {"relay": {"allowedNetworks": ["10.0.0.0/33"]}}           | relay.allowedNetworks[0] | out of range
            {"relay": {"allowedNetworks": ["example.org"]}}           | relay.allowedNetworks[0] | host names are not allowed
            {"relay": {"allowedNetworks": "127.0.0.1"}}               | relay.allowedNetworks | list of strings
            {"users": {"bob": "secret"}}                              | users.bob            | hash-password
            {"users": {"bob": "pbkdf2-sha256$1000$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"}} | users.bob | too cheap
            {"policy": {"default": "bsy"}}                            | policy.default       | not a built-in policy
            {"policy": {"mode": "enforcing"}}                         | policy.mode          | use enforce
            {"delivery": {"leaseSeconds": 1}}                         | delivery.leaseSeconds | from 2 to 86400
            {"delivery": {"lease": 10}}                               | delivery.lease       | known keys here
            {"policy": {"domains": {"a.example": "nope"}}}            | policy.domains.a.example | unknown policy
            {"routes": {"a.example": []}}                             | routes.a.example     | at least one next hop
            {"tls": {"certificate": "/nonexistent.pem"}}              | tls.key              | give both
            {"limits": {"maxConnections": 0}}                         | limits.maxConnections | whole number from 1
            {"hostName": "two words"}                                 | hostName             | no spaces
            {"delivery": {"perDestinationConcurrency": 0}}            | delivery.perDestinationConcurrency | whole number from 1
            {"delivery": {"concurency": 5}}                           | delivery.concurency  | known keys here
            {"delivery": {"maximalQueueLifetime": "5 days"}}          | delivery.maximalQueueLifetime | "5d"
            {"delivery": {"maximalQueueLifetime": "0"}}               | delivery.maximalQueueLifetime | longer than 0
            {"delivery": {"delayWarningTime": 4}}                     | delivery.delayWarningTime | string in double quotes
            {"authFailureLimit": {"maxFailures": -1}}                 | authFailureLimit.maxFailures | whole number from 0
            {"authFailureLimit": {"blockMinutes": 5}}                 | authFailureLimit.blockMinutes | known keys here
            {"tlsrpt": {"enabled": "yes"}}                            | tlsrpt.enabled       | true or false
            {"tlsrpt": {"dkim": {"key": "/nonexistent.pem"}}}         | tlsrpt.dkim.key      | no such file
            {"dns": {"server": "resolver.example:53:1"}}               | dns.server           | IP:PORT
            {"dns": {"trustAnchor": "/nonexistent.ds"}}               | dns.trustAnchor      | no such file
            {"dns": {"servers": "127.0.0.1"}}                         | dns.servers          | known keys here
            """)
    void errorsNameTheFileTheKeyAndTheFix(String json, String key, String fix) {
        assertThatThrownBy(() -> RelayConfig.parse(json, "relay.json"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.file()).isEqualTo("relay.json");
                })
                .hasMessageStartingWith("relay.json: " + key + ": ").hasMessageContaining(fix);
    }

    @Test
    void brokenJsonNamesTheLine() {
        assertThatThrownBy(() -> RelayConfig.parse("{\n\"hostName\": \"x\",\n}", "bad.json"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bad.json: not valid JSON at line 3");
    }

    @Test
    void aMissingFileSaysHowToGoOn() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> RelayConfig.read(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("without --config");
    }

    @Test
    void tlsFilesMustExist() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> RelayConfig.parse("{\"tls\": {\"certificate\": \"" + cert + "\", \"key\": \""
                + dir.resolve("k.pem") + "\"}}", "r.json")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("r.json: tls.key: no such file");
    }
}

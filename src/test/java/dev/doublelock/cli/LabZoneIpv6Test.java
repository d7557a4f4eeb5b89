package dev.doublelock.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lab zone --ipv6-prefix}: an AAAA per profile from the /64, the one --ip only where SNI can select. */
class LabZoneIpv6Test {
    @Test
    void theZoneOfOneHostWithOneIpv4AndASlash64(@TempDir Path tmp) {
        String out = LabCliTest.capture(() -> assertThat(Main.run("lab", "zone", "--data", tmp.toString(), "--zone",
                "lab.example.org", "--ns-ip", "203.0.113.10", "--ip", "203.0.113.10", "--ipv6-prefix", "2001:db8:1:2::/64")).isZero());
        assertThat(out).containsPattern("(?m)^good\\.lab\\.example\\.org\\. +\\d+ IN AAAA +2001:db8:1:2:0:0:0:1$")
                .containsPattern("(?m)^good\\.lab\\.example\\.org\\. +\\d+ IN A +203\\.0\\.113\\.10$")
                .containsPattern("(?m)^shame\\.lab\\.example\\.org\\. +\\d+ IN AAAA +2001:db8:1:2:0:0:0:f$")
                .containsPattern("(?m)^shame\\.lab\\.example\\.org\\. +\\d+ IN A +203\\.0\\.113\\.10$")
                .containsPattern("(?m)^a\\.b\\.deep\\.wildcard-too-deep\\.lab\\.example\\.org\\. +\\d+ IN AAAA +2001:db8:1:2:0:0:0:13$")
                .containsPattern("(?m)^no-starttls\\.lab\\.example\\.org\\. +\\d+ IN AAAA +2001:db8:1:2:0:0:0:d$")
                .doesNotContainPattern("(?m)^no-starttls\\.lab\\.example\\.org\\. +\\d+ IN A ")
                .doesNotContainPattern("(?m)^starttls-broken\\.lab\\.example\\.org\\. +\\d+ IN A ")
                .contains("ip -6 route add local 2001:db8:1:2::/64 dev lo", "net.ipv6.ip_nonlocal_bind=1");
        // the /64 alone: AAAA only, no loopback A records in a published zone
        String v6only = LabCliTest.capture(() -> assertThat(Main.run("lab", "zone", "--data", tmp.toString(), "--zone",
                "lab.example.org", "--ipv6-prefix", "2001:db8:1:2::/64")).isZero());
        assertThat(v6only).doesNotContainPattern("(?m)^good\\.lab\\.example\\.org\\. +\\d+ IN A ")
                .containsPattern("(?m)^good\\.lab\\.example\\.org\\. +\\d+ IN AAAA ")
                .as("no policy host: TLS reports by mail only").contains("rua=mailto:tlsrpt@good.lab.example.org\"")
                .doesNotContain("https://tlsrpt");
        assertThat(Main.run("lab", "zone", "--data", tmp.toString(), "--ipv6-prefix", "2001:db8::/48")).isEqualTo(2);
    }
}

package dev.doublelock.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LabProcessTest {
    @Test
    void startsTheLabInItsOwnJvmAndKnowsItsPorts(@TempDir Path dir) throws Exception {
        try (LabProcess lab = LabProcess.start(dir)) {
            assertThat(lab.ports()).hasSize(dev.doublelock.lab.LabProfile.values().length)
                    .containsKeys("good", "shame", "no-starttls", "dhe-1024", "tls-1.3-only");
            assertThat(lab.caFile()).exists();
            try (RawSmtpClient c = new RawSmtpClient(new InetSocketAddress("127.0.0.1", lab.port("good")))) {
                assertThat(c.code()).isEqualTo(220);
            }
            assertThat(lab.output()).anyMatch(l -> l.contains("relaxed in this process only"));
            // the command line's lab serves its signed zone too: --base-port 0 puts the DNS on a free port as well
            org.xbill.DNS.SimpleResolver dns = new org.xbill.DNS.SimpleResolver(new InetSocketAddress("127.0.0.1", lab.dnsPort()));
            dns.setTimeout(java.time.Duration.ofSeconds(3));
            org.xbill.DNS.Message mx = dns.send(org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromConstantString("good.lab.test."), org.xbill.DNS.Type.MX, org.xbill.DNS.DClass.IN)));
            assertThat(mx.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
            assertThat(mx.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
            assertThat(mx.getSection(org.xbill.DNS.Section.ANSWER)).extracting(org.xbill.DNS.Record::rdataToString)
                    .containsExactly("10 good.lab.test.");
            assertThat(lab.output()).anyMatch(l -> l.matches(lab.dnsPort() + " +dns +zone lab\\.test\\. on 127\\.0\\.0\\.1 .*"));
        }
    }
}

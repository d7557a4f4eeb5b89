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
        }
    }
}

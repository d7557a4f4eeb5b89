package dev.doublelock.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabConfigFileTest {
    @Test
    void bindsProfilesToAddressesAndHostNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("lab.properties");
        Files.writeString(f, "profile.good.bind = 127.0.0.2:2600\nprofile.good.host = good.lab.example\n"
                + "profile.shame.bind = [::1]:2601\n");
        Map<LabProfile, LabEndpoint> m = LabConfigFile.read(f, LabOptions.defaults());
        assertThat(m.get(LabProfile.GOOD).bind().getPort()).isEqualTo(2600);
        assertThat(m.get(LabProfile.GOOD).bind().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(m.get(LabProfile.GOOD).hostName()).isEqualTo("good.lab.example");
        assertThat(m.get(LabProfile.SHAME).bind().getPort()).isEqualTo(2601);
        assertThat(m.get(LabProfile.SHAME).hostName()).isEqualTo("localhost");
        var endpoints = LabOptions.defaults().withOverrides(m).endpoints();
        assertThat(endpoints.get(LabProfile.SELF_SIGNED.ordinal()).bind().getPort()).isEqualTo(2525 + LabProfile.SELF_SIGNED.ordinal());
    }

    @Test
    void typosAreErrorsThatNameTheKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "profile.gud.bind = 127.0.0.1:25\n");
        assertThatThrownBy(() -> LabConfigFile.read(f, LabOptions.defaults())).hasMessageContaining("unknown profile 'gud'");
        Files.writeString(f, "profile.good.port = 25\n");
        assertThatThrownBy(() -> LabConfigFile.read(f, LabOptions.defaults())).hasMessageContaining("unknown field 'port'");
        Files.writeString(f, "profile.good.bind = 127.0.0.1\n");
        assertThatThrownBy(() -> LabConfigFile.read(f, LabOptions.defaults())).hasMessageContaining("ADDRESS:PORT");
    }
}

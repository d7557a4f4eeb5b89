package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The mx-names leaf: the good leaf with the DANE scenarios' MX hosts as further DNS SANs, kept while they stay. */
class LabPkiMxNamesTest {
    static List<String> dnsNames(X509Certificate c) throws Exception {
        List<String> out = new ArrayList<>();
        for (List<?> san : c.getSubjectAlternativeNames()) {
            if ((Integer) san.get(0) == 2) out.add((String) san.get(1));
        }
        return out;
    }

    @Test
    void itNamesTheHostAndTheMxHostsIsKeptAcrossRestartsAndRemadeWhenTheNamesChange(@TempDir Path dir) throws Exception {
        LabPki pki = LabPki.loadOrCreate(dir, "localhost");
        pki.nameMxHosts(List.of("dane-ta.lab.test", "dane-no-tlsa.lab.test."));
        CertifiedKey leaf = pki.certificate(LabCertificate.MX_NAMES);
        assertThat(dnsNames(leaf.leaf())).containsExactly("localhost", "dane-ta.lab.test", "dane-no-tlsa.lab.test");
        assertThat(leaf.chain()).as("leaf and the lab intermediate, like good").hasSize(2);
        assertThat(leaf.chain().get(1)).isEqualTo(pki.intermediateCertificate());

        LabPki again = LabPki.loadOrCreate(dir, "localhost");
        again.nameMxHosts(List.of("dane-ta.lab.test", "dane-no-tlsa.lab.test"));
        assertThat(again.certificate(LabCertificate.MX_NAMES).leaf()).as("the same names: the stored leaf").isEqualTo(leaf.leaf());

        LabPki otherZone = LabPki.loadOrCreate(dir, "localhost");
        otherZone.nameMxHosts(List.of("dane-ta.lab.example.org"));
        X509Certificate remade = otherZone.certificate(LabCertificate.MX_NAMES).leaf();
        assertThat(remade).isNotEqualTo(leaf.leaf());
        assertThat(dnsNames(remade)).containsExactly("localhost", "dane-ta.lab.example.org");

        LabPki noDns = LabPki.loadOrCreate(dir, "localhost");
        assertThat(dnsNames(noDns.certificate(LabCertificate.MX_NAMES).leaf())).as("no DNS: the good leaf's names")
                .containsExactly("localhost");
    }
}

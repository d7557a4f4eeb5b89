package dev.doublelock.tls.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lab whose profiles carry other host names (one per profile when published, SNI on one port) issues their leaves
 * from its one CA: a sender trusts one ca.pem for all.
 */
class LabPkiOtherHostTest {
    private final LabPki main = SharedLabPki.get();

    @Test
    void anotherHostsLeavesChainToTheOneLabCa(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("hosts").resolve("good.lab.example.org");
        LabPki other = LabPki.loadOrCreate(dir, "good.lab.example.org", main);
        X509Certificate good = other.certificate(LabCertificate.GOOD).leaf();
        assertThat(good.getSubjectAlternativeNames()).containsExactly(List.of(2, "good.lab.example.org"));
        assertThat(Pkix.validateNow(other.certificate(LabCertificate.GOOD).chain(), main.caCertificate())).isEmpty();
        assertThat(other.caCertificate()).isEqualTo(main.caCertificate());
        // the untrusted root is the lab's one untrusted root too; the CA's key never lands in the other directory
        assertThat(other.certificate(LabCertificate.UNTRUSTED_ROOT).leaf().getIssuerX500Principal())
                .isEqualTo(main.untrustedRootCertificate().getSubjectX500Principal());
        assertThat(Files.exists(dir.resolve("ca.key.pem"))).isFalse();

        // stored and loaded again: the same leaf
        LabPki again = LabPki.loadOrCreate(dir, "good.lab.example.org", main);
        assertThat(again.certificate(LabCertificate.GOOD).leaf()).isEqualTo(good);
    }

    @Test
    void leavesAnOlderLabIssuedUnderACaOfTheirOwnAreMadeAnew(@TempDir Path tmp) {
        Path dir = tmp.resolve("hosts").resolve("good.lab.example.org");
        X509Certificate own = LabPki.loadOrCreate(dir, "good.lab.example.org").certificate(LabCertificate.GOOD).leaf();
        LabPki shared = LabPki.loadOrCreate(dir, "good.lab.example.org", main);
        List<X509Certificate> chain = shared.certificate(LabCertificate.GOOD).chain();
        assertThat(chain.get(0)).isNotEqualTo(own);
        assertThat(Pkix.validateNow(chain, main.caCertificate())).isEmpty();
    }
}

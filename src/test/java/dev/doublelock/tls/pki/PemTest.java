package dev.doublelock.tls.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemTest {
    private static final CertifiedKey CA = new CertificateBuilder().subject("test CA").certificateAuthority(0).build();
    private static final CertifiedKey LEAF = new CertificateBuilder().dnsNames("mx.example.test").issuer(CA).build();

    @Test
    void certificatesRoundTripInOrder() {
        String pem = Pem.encode(LEAF.leaf(), CA.leaf());
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(pem.lines().filter(l -> !l.startsWith("-----")).allMatch(l -> l.length() <= 64)).isTrue();
        assertThat(Pem.readCertificates(pem)).containsExactly(LEAF.leaf(), CA.leaf());
        assertThat(Pem.encode(LEAF.chain())).isEqualTo(pem);
    }

    @Test
    void privateKeysRoundTripAsPkcs8ForEcAndRsa() {
        PrivateKey rsa = new CertificateBuilder().rsa(1024).dnsNames("a.test").build().privateKey();
        for (PrivateKey key : List.of(LEAF.privateKey(), rsa)) {
            String pem = Pem.encode(key);
            assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
            PrivateKey read = Pem.readPrivateKey(pem);
            assertThat(read.getAlgorithm()).isEqualTo(key.getAlgorithm());
            assertThat(read.getEncoded()).isEqualTo(key.getEncoded());
        }
    }

    @Test
    void traditionalOpensslRsaKeysAreReadToo() throws Exception {
        PrivateKey rsa = new CertificateBuilder().rsa(1024).dnsNames("a.test").build().privateKey();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
        assertThat(Pem.readPrivateKey(pem).getEncoded()).isEqualTo(rsa.getEncoded());
    }

    @Test
    void filesAreReadAndKeysWrittenOwnerOnly(@TempDir Path dir) throws Exception {
        Pem.write(dir.resolve("sub/chain.pem"), Pem.encode(LEAF.chain()));
        Pem.write(dir.resolve("sub/key.pem"), Pem.encode(LEAF.privateKey()));
        assertThat(Pem.readCertificates(dir.resolve("sub/chain.pem"))).isEqualTo(LEAF.chain());
        assertThat(Pem.readPrivateKey(dir.resolve("sub/key.pem")).getEncoded()).isEqualTo(LEAF.privateKey().getEncoded());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/key.pem"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir.resolve("sub"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("chain.pem", "key.pem");
        }
    }

    @Test
    void badInputSaysWhatWasExpected(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Pem.readCertificates("hello")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> Pem.readCertificates(Pem.encode(LEAF.privateKey()))).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> Pem.readPrivateKey(Pem.encode(LEAF.leaf()))).hasMessageContaining("BEGIN PRIVATE KEY");
        assertThatThrownBy(() -> Pem.readCertificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(IllegalArgumentException.class);
        Path big = dir.resolve("big.pem");
        Files.write(big, new byte[(int) Pem.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> Pem.readCertificates(big)).hasMessageContaining("larger than");
        assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("missing.pem"))).hasMessageContaining("missing.pem");
    }
}

package dev.doublelock.tls;

import java.time.Duration;
import java.util.List;
import dev.doublelock.tls.CertFixture.Issued;
import dev.doublelock.tls.CertFixture.Pki;
import dev.doublelock.tls.ChainAssessment.TrustStatus;
import org.junit.jupiter.api.Test;

import static dev.doublelock.tls.CertFixture.NOW;
import static dev.doublelock.tls.CertFixture.cert;
import static org.assertj.core.api.Assertions.assertThat;

class ChainInspectorTest {
    private static final Pki PKI = CertFixture.goodPki("a");
    private final ChainInspector inspector = new ChainInspector(List.of(PKI.root().cert()), false);

    @Test
    void goodChainIsTrustedAndFactsAreRead() {
        Issued leaf = PKI.leaf("localhost");
        ChainAssessment a = inspector.inspect(List.of(leaf.cert(), PKI.intermediate().cert()), "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(a.anchorIndex()).isEmpty();
        assertThat(a.nameMatches()).isTrue();
        assertThat(a.certificates()).extracting(CertificateFacts::signatureAlgorithm)
                .containsExactly("SHA256withECDSA", "SHA256withRSASSA-PSS");
        CertificateFacts leafFacts = a.certificates().get(0);
        assertThat(leafFacts.keyAlgorithm()).isEqualTo("EC");
        assertThat(leafFacts.keyBits()).isEqualTo(256);
        assertThat(leafFacts.curve()).isEqualTo("secp256r1");
        assertThat(leafFacts.dnsNames()).containsExactly("localhost");
        assertThat(leafFacts.ipAddresses()).containsExactly("127.0.0.1");
        assertThat(leafFacts.selfSigned()).isFalse();
        assertThat(leafFacts.sha256Fingerprint()).hasSize(64);
    }

    @Test
    void sentAnchorGetsAnIndexAndOutOfOrderChainsStillLink() {
        Issued leaf = PKI.leaf("localhost");
        ChainAssessment a = inspector.inspect(List.of(leaf.cert(), PKI.root().cert(), PKI.intermediate().cert()),
                "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(a.certificates()).extracting(CertificateFacts::index).containsExactly(0, 2, 1);
        assertThat(a.anchorIndex()).contains(2);
        assertThat(a.certificates().get(2).keyDescription()).isEqualTo("RSA 3072 bit");
    }

    @Test
    void selfSignedLeaf() {
        Issued self = cert("CN=abc.xy").key(CertFixture.rsa(1024)).signedWith("SHA1withRSA").build();
        ChainAssessment a = inspector.inspect(List.of(self.cert()), "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.SELF_SIGNED);
        assertThat(a.nameMatches()).isFalse();
        assertThat(a.certificates().get(0).selfSigned()).isTrue();
        assertThat(a.certificates().get(0).keyDescription()).isEqualTo("RSA 1024 bit");
        assertThat(a.certificates().get(0).signatureAlgorithm()).isEqualTo("SHA1withRSA");
    }

    @Test
    void chainEndingAtAForeignRootIsUntrustedRoot() {
        Pki other = CertFixture.goodPki("other");
        Issued leaf = other.leaf("localhost");
        ChainAssessment a = inspector.inspect(
                List.of(leaf.cert(), other.intermediate().cert(), other.root().cert()), "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.UNTRUSTED_ROOT);
        assertThat(a.trustDetail()).contains("CN=doublelock test root other");
        // the same leaf without its foreign root: its issuer is nowhere
        assertThat(inspector.inspect(List.of(leaf.cert(), other.intermediate().cert()), "localhost", NOW).trust())
                .isEqualTo(TrustStatus.MISSING_INTERMEDIATE);
    }

    @Test
    void leafWithoutItsIntermediateIsMissingIntermediate() {
        ChainAssessment a = inspector.inspect(List.of(PKI.leaf("localhost").cert()), "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.MISSING_INTERMEDIATE);
        assertThat(a.trustDetail()).contains("CN=doublelock test intermediate a");
    }

    @Test
    void weakSignatureAndExpiryDoNotBreakLinkage() {
        Issued sha1Leaf = cert("CN=localhost").key(CertFixture.rsa(1024)).issuedBy(PKI.root())
                .signedWith("SHA1withRSA").validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)))
                .dns("localhost").build();
        ChainAssessment a = inspector.inspect(List.of(sha1Leaf.cert()), "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.TRUSTED);
        assertThat(a.certificates().get(0).signatureAlgorithm()).isEqualTo("SHA1withRSA");
        assertThat(a.certificates().get(0).notAfter()).isBefore(NOW);
    }

    @Test
    void sameNameDifferentKeyIsInvalidAndEmptyChainIsEmpty() {
        Issued impostor = cert(PKI.intermediate().cert().getSubjectX500Principal().getName())
                .key(CertFixture.ec("secp384r1", "impostor")).ca().issuedBy(PKI.root()).build();
        ChainAssessment a = inspector.inspect(List.of(PKI.leaf("localhost").cert(), impostor.cert()), "localhost", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.INVALID_CHAIN);
        assertThat(inspector.inspect(List.of(), "localhost", NOW).trust()).isEqualTo(TrustStatus.EMPTY_CHAIN);
    }

    @Test
    void leafSigningAnotherLeafIsNotACa() {
        Issued leaf = PKI.leaf("localhost");
        Issued child = cert("CN=child").issuedBy(leaf).dns("child").build();
        ChainAssessment a = inspector.inspect(List.of(child.cert(), leaf.cert(), PKI.intermediate().cert()), "child", NOW);
        assertThat(a.trust()).isEqualTo(TrustStatus.INVALID_CHAIN);
        assertThat(a.trustDetail()).contains("not a CA");
    }

    @Test
    void jdkDefaultAnchorsAreLoaded() {
        assertThat(ChainInspector.jdkDefaultAnchors()).isNotEmpty();
    }
}

package dev.doublelock.policy.dane;

import dev.doublelock.dns.TlsaRecord;
import dev.doublelock.policy.mtasts.TestCa;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7672 matching with certificates generated here: CA → leaf. */
class TlsaMatcherTest {
    private final TestCa ca = new TestCa("DANE Test CA");
    private final TestCa.Leaf leaf = ca.leaf("mx.example.test");
    private final List<X509Certificate> chain = leaf.chain();
    private final TestCa.Leaf other = new TestCa("Other CA").leaf("mx.example.test");

    @Test
    void daneEeSpkiSha256MatchesTheLeaf() throws Exception {
        TlsaRecord r = new TlsaRecord(3, 1, 1, sha("SHA-256", leaf.certificate().getPublicKey().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(r), chain)).isEqualTo(new DaneResult.Matched(r, 0, false));
    }

    @Test
    void daneEeFullCertSha256MatchesTheLeaf() throws Exception {
        TlsaRecord r = new TlsaRecord(3, 0, 1, sha("SHA-256", leaf.certificate().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(r), chain)).isEqualTo(new DaneResult.Matched(r, 0, false));
    }

    @Test
    void daneEeSha512AndExactMatchWork() throws Exception {
        TlsaRecord sha512 = new TlsaRecord(3, 1, 2, sha("SHA-512", leaf.certificate().getPublicKey().getEncoded()));
        TlsaRecord full = new TlsaRecord(3, 1, 0, leaf.certificate().getPublicKey().getEncoded());
        assertThat(TlsaMatcher.match(List.of(sha512), chain)).isInstanceOf(DaneResult.Matched.class);
        assertThat(TlsaMatcher.match(List.of(full), chain)).isInstanceOf(DaneResult.Matched.class);
    }

    @Test
    void daneTaMatchesTheIssuerAndAsksForANameCheck() throws Exception {
        TlsaRecord r = new TlsaRecord(2, 0, 1, sha("SHA-256", ca.certificate().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(r), chain)).isEqualTo(new DaneResult.Matched(r, 1, true));
    }

    @Test
    void daneTaNeverMatchesTheLeaf() throws Exception {
        TlsaRecord r = new TlsaRecord(2, 0, 1, sha("SHA-256", leaf.certificate().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(r), chain)).isEqualTo(new DaneResult.Mismatch(1, 2));
    }

    @Test
    void daneEeNeverMatchesTheIssuer() throws Exception {
        TlsaRecord r = new TlsaRecord(3, 0, 1, sha("SHA-256", ca.certificate().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(r), chain)).isInstanceOf(DaneResult.Mismatch.class);
    }

    @Test
    void anotherKeyIsAMismatch() throws Exception {
        TlsaRecord r = new TlsaRecord(3, 1, 1, sha("SHA-256", other.certificate().getPublicKey().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(r), chain)).isEqualTo(new DaneResult.Mismatch(1, 2));
    }

    @Test
    void oneMatchingRecordAmongSeveralSuffices() throws Exception {
        TlsaRecord wrong = new TlsaRecord(3, 1, 1, sha("SHA-256", other.certificate().getPublicKey().getEncoded()));
        TlsaRecord right = new TlsaRecord(2, 1, 1, sha("SHA-256", ca.certificate().getPublicKey().getEncoded()));
        assertThat(TlsaMatcher.match(List.of(wrong, right), chain)).isEqualTo(new DaneResult.Matched(right, 1, true));
    }

    @Test
    void pkixUsagesAndUnknownParametersAreUnusable() throws Exception {
        byte[] spki = sha("SHA-256", leaf.certificate().getPublicKey().getEncoded());
        List<TlsaRecord> records = List.of(
                new TlsaRecord(0, 1, 1, spki),           // PKIX-TA: unusable in SMTP
                new TlsaRecord(1, 1, 1, spki),           // PKIX-EE: unusable in SMTP
                new TlsaRecord(3, 2, 1, spki),           // unknown selector
                new TlsaRecord(3, 1, 3, spki),           // unknown matching type
                new TlsaRecord(3, 1, 2, spki));          // SHA-512 with a 32-byte digest
        assertThat(TlsaMatcher.match(records, chain)).isEqualTo(new DaneResult.NoUsableRecords());
    }

    static byte[] sha(String algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(data);
    }
}

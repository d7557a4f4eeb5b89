package dev.doublelock.tls;

import org.junit.jupiter.api.Test;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EphemeralKeyRecorderTest {
    private static final Set<CryptoPrimitive> KA = EnumSet.of(CryptoPrimitive.KEY_AGREEMENT);
    private static final Set<CryptoPrimitive> SIG = EnumSet.of(CryptoPrimitive.SIGNATURE);

    /** A delegate that refuses everything: the recorder must never say yes where it says no. */
    private static final AlgorithmConstraints DENY = new AlgorithmConstraints() {
        public boolean permits(Set<CryptoPrimitive> p, String a, AlgorithmParameters ap) { return false; }
        public boolean permits(Set<CryptoPrimitive> p, Key k) { return false; }
        public boolean permits(Set<CryptoPrimitive> p, String a, Key k, AlgorithmParameters ap) { return false; }
    };

    @Test
    void recordsTheKeyAgreementShareAndNeverPermitsMoreThanTheDelegate() throws Exception {
        Key x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic();
        EphemeralKeyRecorder r = EphemeralKeyRecorder.wrapping(DENY);
        assertThat(r.permits(KA, x25519)).isFalse();
        assertThat(r.permits(KA, "x25519", null)).isFalse();
        assertThat(r.keyExchange().group()).contains("x25519");
    }

    @Test
    void namesNistCurvesAndMeasuresDhPrimes() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        EphemeralKeyRecorder r = EphemeralKeyRecorder.wrapping(null);
        assertThat(r.permits(KA, ec.generateKeyPair().getPublic())).isTrue();
        assertThat(r.keyExchange().group()).contains("secp384r1");
        KeyPairGenerator dh = KeyPairGenerator.getInstance("DH");
        dh.initialize(2048);
        r.permits(KA, dh.generateKeyPair().getPublic());
        assertThat(r.keyExchange().dhBits()).contains(2048);
        assertThat(r.keyExchange().group()).isEmpty();
    }

    @Test
    void certificateKeysCheckedForSignaturesAreNotMistakenForTheKeyExchange() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        EphemeralKeyRecorder r = EphemeralKeyRecorder.wrapping(null);
        r.permits(SIG, ec.generateKeyPair().getPublic());
        r.permits(SIG, "SHA256withECDSA", ec.generateKeyPair().getPublic(), null);
        assertThat(r.keyExchange()).isEqualTo(EphemeralKeyRecorder.KeyExchange.UNKNOWN);
    }
}

package dev.doublelock.tls.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** What kind of key pair {@link CertificateBuilder} generates. */
sealed interface KeySpec {
    SecureRandom RANDOM = new SecureRandom();

    KeyPair generate();

    /** An RSA key of {@code bits} bits, public exponent 65537. */
    record Rsa(int bits) implements KeySpec {
        public Rsa {
            if (bits < 512 || bits > 16384) {
                throw new IllegalArgumentException("RSA key size " + bits + " is out of range; use 512..16384 (e.g. 1024, 2048, 3072)");
            }
        }

        @Override
        public KeyPair generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(bits, RANDOM);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate an RSA " + bits + " key: " + e.getMessage(), e);
            }
        }
    }

    /**
     * An EC key on a named curve. The JDK generates it when it knows the curve (secp256r1,
     * secp384r1, secp521r1); otherwise (e.g. brainpoolP256r1, gone from SunEC since JDK 16) Bouncy
     * Castle does.
     */
    record Ec(String curve) implements KeySpec {
        @Override
        public KeyPair generate() {
            try {
                return generate(KeyPairGenerator.getInstance("EC"));
            } catch (GeneralSecurityException jdkDoesNotKnowIt) {
                try {
                    return generate(KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("unknown EC curve '" + curve
                            + "'; use a named curve such as secp256r1, secp384r1 or brainpoolP256r1", e);
                }
            }
        }

        private KeyPair generate(KeyPairGenerator generator) throws GeneralSecurityException {
            generator.initialize(new ECGenParameterSpec(curve), RANDOM);
            return generator.generateKeyPair();
        }
    }
}

package dev.doublelock.tls;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.BigIntegers;

/**
 * The services {@link FastEc} offers, on BouncyCastle's lightweight API and the shared curve instances of
 * {@link FastEcKeys}. A key on any other curve is refused with {@link InvalidKeyException} (or
 * {@link InvalidAlgorithmParameterException}), which makes the JCA fall back to the next provider.
 */
public final class FastEcSpi {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FastEcSpi() {}

    /** {@code KeyPairGenerator "EC"} for P-256, P-384 and P-521. */
    public static final class KeyPairGenerator extends java.security.KeyPairGeneratorSpi {
        private FastEcKeys.Curve curve;
        private ECKeyPairGenerator generator;

        @Override
        public void initialize(int keysize, SecureRandom random) {
            String name = switch (keysize) {
                case 256 -> "secp256r1";
                case 384 -> "secp384r1";
                case 521 -> "secp521r1";
                default -> throw new InvalidParameterException("key size " + keysize + " not handled here");
            };
            try {
                initialize(new ECGenParameterSpec(name), random);
            } catch (InvalidAlgorithmParameterException e) {
                throw new InvalidParameterException(e.getMessage());
            }
        }

        @Override
        public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
            curve = FastEcKeys.curveOrThrow(params);
            generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(curve.bc(), random == null ? RANDOM : random));
        }

        @Override
        public KeyPair generateKeyPair() {
            if (generator == null) {
                initialize(256, RANDOM);
            }
            AsymmetricCipherKeyPair pair = generator.generateKeyPair();
            var pub = new BCECPublicKey("EC", (ECPublicKeyParameters) pair.getPublic(), curve.jdk(),
                    BouncyCastleProvider.CONFIGURATION);
            var priv = new BCECPrivateKey("EC", (ECPrivateKeyParameters) pair.getPrivate(), pub, curve.jdk(),
                    BouncyCastleProvider.CONFIGURATION);
            return new KeyPair(pub, priv);
        }
    }

    /** {@code KeyAgreement "ECDH"}: the shared x coordinate, fixed length, as TLS (RFC 8446 7.4.2) uses it. */
    public static final class Ecdh extends OnePhaseAgreement {
        private ECPrivateKeyParameters key;

        public Ecdh() {
            super("ECDH");
        }

        @Override
        protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
            this.key = FastEcKeys.privateKey(key);
            forget();
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (params != null) {
                throw new InvalidAlgorithmParameterException("ECDH takes no parameters");
            }
            engineInit(key, random);
        }

        @Override
        protected boolean initialised() {
            return key != null;
        }

        @Override
        protected byte[] agree(Key peer) throws InvalidKeyException {
            ECPublicKeyParameters pub = FastEcKeys.publicKey(peer);
            if (pub.getParameters().getCurve() != key.getParameters().getCurve()) {
                throw new InvalidKeyException("the peer's key is on another curve");
            }
            var agreement = new ECDHBasicAgreement();
            agreement.init(key);
            BigInteger x;
            try {
                x = agreement.calculateAgreement(pub);
            } catch (IllegalStateException e) {
                throw new InvalidKeyException("ECDH failed: " + e.getMessage(), e);
            }
            int length = (key.getParameters().getCurve().getFieldSize() + 7) / 8;
            return BigIntegers.asUnsignedByteArray(length, x);
        }
    }

    /** {@code Signature "SHAxxxwithECDSA"}: the JDK's digest (it has the CPU's SHA instructions), BouncyCastle's ECDSA. */
    abstract static class Ecdsa extends java.security.SignatureSpi {
        private final String digest;
        private MessageDigest md;
        private ECDSASigner signer;
        private BigInteger order;

        Ecdsa(String digest) {
            this.digest = digest;
        }

        private void start(boolean forSigning, org.bouncycastle.crypto.params.ECKeyParameters key) {
            try {
                md = MessageDigest.getInstance(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            signer = new ECDSASigner();
            signer.init(forSigning, forSigning ? new ParametersWithRandom(key, appRandom == null ? RANDOM : appRandom) : key);
            order = key.getParameters().getN();
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            start(false, FastEcKeys.publicKey(publicKey));
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            start(true, FastEcKeys.privateKey(privateKey));
        }

        @Override
        protected void engineUpdate(byte b) {
            md.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        @Override
        protected void engineUpdate(java.nio.ByteBuffer input) {
            md.update(input);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            BigInteger[] rs = signer.generateSignature(md.digest());
            try {
                return StandardDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
            } catch (java.io.IOException e) {
                throw new SignatureException(e);
            }
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            byte[] hash = md.digest();
            BigInteger[] rs;
            try {
                rs = StandardDSAEncoding.INSTANCE.decode(order, signature);
            } catch (java.io.IOException | IllegalArgumentException e) {
                throw new SignatureException("malformed ECDSA signature: " + e.getMessage(), e);
            }
            return signer.verifySignature(hash, rs[0], rs[1]);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new UnsupportedOperationException("no parameters");
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
            if (params != null) {
                throw new InvalidAlgorithmParameterException("ECDSA takes no parameters");
            }
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new UnsupportedOperationException("no parameters");
        }
    }

    /** {@code Signature "SHA256withECDSA"}. */
    public static final class EcdsaSha256 extends Ecdsa {
        public EcdsaSha256() {
            super("SHA-256");
        }
    }

    /** {@code Signature "SHA384withECDSA"}. */
    public static final class EcdsaSha384 extends Ecdsa {
        public EcdsaSha384() {
            super("SHA-384");
        }
    }

    /** {@code Signature "SHA512withECDSA"}. */
    public static final class EcdsaSha512 extends Ecdsa {
        public EcdsaSha512() {
            super("SHA-512");
        }
    }
}

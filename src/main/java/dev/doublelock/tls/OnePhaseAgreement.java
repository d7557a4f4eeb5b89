package dev.doublelock.tls;

import java.security.InvalidKeyException;
import java.security.Key;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * What {@link FastEcSpi.Ecdh} and {@link FastX25519.Agreement} share: one phase, after {@code engineInit}, whose
 * secret is handed out once.
 */
abstract class OnePhaseAgreement extends javax.crypto.KeyAgreementSpi {
    private final String algorithm;
    private byte[] secret;

    /** @param algorithm the name in messages ("ECDH", "XDH") */
    OnePhaseAgreement(String algorithm) {
        this.algorithm = algorithm;
    }

    /** True once {@code engineInit} has taken a private key. */
    protected abstract boolean initialised();

    /** The shared secret with {@code peer}'s public key. */
    protected abstract byte[] agree(Key peer) throws InvalidKeyException;

    @Override
    protected final Key engineDoPhase(Key peer, boolean lastPhase) throws InvalidKeyException {
        if (!initialised()) {
            throw new IllegalStateException("not initialised");
        }
        if (!lastPhase) {
            throw new IllegalStateException(algorithm + " has one phase");
        }
        secret = agree(peer);
        return null;
    }

    /** Called by {@code engineInit}: a new key forgets an unclaimed secret. */
    protected final void forget() {
        this.secret = null;
    }

    private byte[] take() {
        if (secret == null) {
            throw new IllegalStateException("doPhase first");
        }
        byte[] s = secret;
        secret = null;
        return s;
    }

    @Override
    protected final byte[] engineGenerateSecret() {
        return take();
    }

    @Override
    protected final int engineGenerateSecret(byte[] out, int offset) throws ShortBufferException {
        if (secret != null && out.length - offset < secret.length) {
            throw new ShortBufferException("need " + secret.length + " bytes");
        }
        byte[] s = take();
        System.arraycopy(s, 0, out, offset, s.length);
        return s.length;
    }

    @Override
    protected final SecretKey engineGenerateSecret(String algorithm) {
        if (algorithm == null) {
            throw new IllegalArgumentException("no algorithm for the secret key");
        }
        return new SecretKeySpec(take(), algorithm);
    }
}

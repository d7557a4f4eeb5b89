package dev.doublelock.tls;

import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/** What {@link FastEcSpi.Ecdh} and {@link FastX25519.Agreement} share: a one-phase agreement hands out its secret once. */
abstract class OnePhaseAgreement extends javax.crypto.KeyAgreementSpi {
    private byte[] secret;

    /** Called by {@code engineDoPhase} with the computed secret. */
    protected final void agreed(byte[] secret) {
        this.secret = secret;
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

package dev.doublelock.tls.pki;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * The one Bouncy Castle provider instance this package signs with. It is passed explicitly to
 * each builder and never registered with {@code Security.addProvider}, so the JVM's provider
 * order stays what it was.
 */
final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}

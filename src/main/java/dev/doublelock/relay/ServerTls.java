package dev.doublelock.relay;

import dev.doublelock.smtp.server.TlsUpgrader;
import dev.doublelock.tls.pki.CertificateBuilder;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.Pem;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The certificate the relay's listeners present for STARTTLS, and the server-side TLS built from it:
 * TLS 1.2 and 1.3 only, the JDK's default suites (the relay never relaxes the JDK's security settings).
 * A configured certificate and key (PEM files) are used as they are; without them the relay makes a
 * self-signed ECDSA P-256 certificate for its host name on first start, stores it in its data directory
 * ({@code tls/self-signed.chain.pem}, {@code tls/self-signed.key.pem}) and reuses it afterwards.
 */
public final class ServerTls {
    static final String CHAIN_FILE = "self-signed.chain.pem";
    static final String KEY_FILE = "self-signed.key.pem";

    private ServerTls() {
    }

    /** Reads a configured certificate chain (leaf first) and its private key. */
    public static CertifiedKey load(Path chainPem, Path keyPem) {
        return new CertifiedKey(Pem.readPrivateKey(keyPem), Pem.readCertificates(chainPem));
    }

    /**
     * The self-signed certificate under {@code dir}, made (and reported through {@code notice}) if it does
     * not exist yet or has expired.
     */
    public static CertifiedKey selfSigned(Path dir, String hostName, Consumer<String> notice) {
        Path chain = dir.resolve(CHAIN_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.isRegularFile(chain) && Files.isRegularFile(key)) {
            CertifiedKey existing = load(chain, key);
            if (existing.leaf().getNotAfter().toInstant().isAfter(Instant.now())) {
                return existing;
            }
        }
        CertificateBuilder builder = new CertificateBuilder().subject(hostName);
        builder = isIpLiteral(hostName) ? builder.ipAddresses(hostName) : builder.dnsNames(hostName);
        CertifiedKey made = builder.build();
        Pem.write(key, Pem.encode(made.privateKey()));
        Pem.write(chain, Pem.encode(made.chain()));
        notice.accept("relay: no TLS certificate configured; made a self-signed one for " + hostName + " in " + dir
                + " (clients that verify certificates will not trust it: set tls.certificate and tls.key in the config)");
        return made;
    }

    /** A server SSLContext presenting {@code key}. */
    public static SSLContext context(CertifiedKey key) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new javax.net.ssl.KeyManager[] {key.keyManager()}, null, null);
            return ctx;
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Upgrades an accepted socket to server-mode TLS 1.2/1.3 with {@code ctx}; the server runs the handshake. */
    public static TlsUpgrader upgrader(SSLContext ctx) {
        return plain -> {
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            tls.setUseClientMode(false);
            SSLParameters p = tls.getSSLParameters();
            p.setProtocols(modernProtocols(tls.getSupportedProtocols()));
            tls.setSSLParameters(p);
            return tls;
        };
    }

    private static String[] modernProtocols(String[] supported) {
        return List.of(supported).stream().filter(p -> p.equals("TLSv1.3") || p.equals("TLSv1.2")).toArray(String[]::new);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** The leaf's subject, for start-up messages. */
    public static String describe(CertifiedKey key) {
        X509Certificate leaf = key.leaf();
        return leaf.getSubjectX500Principal().getName() + " valid until " + leaf.getNotAfter().toInstant();
    }

}

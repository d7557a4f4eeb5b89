package dev.doublelock.tls.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The files of a {@link LabPki} directory: a certificate (or chain) file and a key file per
 * certified key, and {@value #METADATA} with the host name each leaf was made for.
 */
final class LabFiles {
    static final String METADATA = "lab-pki.properties";

    private final Path dir;
    private final Properties metadata = new Properties();

    LabFiles(Path dir) {
        this(dir, true);
    }

    /** With {@code create} false nothing is created: for readers of a PKI some lab made. */
    LabFiles(Path dir, boolean create) {
        this.dir = dir;
        try {
            if (create) Files.createDirectories(dir);
            Path file = dir.resolve(METADATA);
            if (Files.exists(file)) metadata.load(new StringReader(Files.readString(file)));
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot use lab PKI directory " + dir + ": " + e.getMessage()
                    + "; check that it is a writable directory", e instanceof IOException io ? io : new IOException(e));
        }
    }

    Path dir() {
        return dir;
    }

    boolean exists(String fileName) {
        return Files.exists(dir.resolve(fileName));
    }

    /**
     * The key and chain stored in the two files, or empty if either is missing, unreadable, or
     * the key does not belong to the first certificate.
     */
    Optional<CertifiedKey> load(String chainFile, String keyFile) {
        Path chainPath = dir.resolve(chainFile);
        Path keyPath = dir.resolve(keyFile);
        if (!Files.isRegularFile(chainPath) || !Files.isRegularFile(keyPath)) return Optional.empty();
        try {
            List<X509Certificate> chain = Pem.readCertificates(chainPath);
            PrivateKey key = Pem.readPrivateKey(keyPath);
            if (!belongTogether(key, chain.get(0).getPublicKey())) return Optional.empty();
            return Optional.of(new CertifiedKey(key, chain));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    void save(CertifiedKey key, String chainFile, String keyFile) {
        Pem.write(dir.resolve(keyFile), Pem.encode(key.privateKey()));
        Pem.write(dir.resolve(chainFile), Pem.encode(key.chain()));
    }

    /** Re-reads the metadata file: another process (or LabPki instance) may have written it since. */
    private void reload() {
        Path file = dir.resolve(METADATA);
        try {
            if (Files.exists(file)) {
                Properties fresh = new Properties();
                fresh.load(new StringReader(Files.readString(file)));
                metadata.clear();
                metadata.putAll(fresh);
            }
        } catch (IOException | IllegalArgumentException e) {
            // keep what was read before; a broken file is rewritten by the next setMetadata
        }
    }

    String metadata(String name) {
        reload();
        return metadata.getProperty(name);
    }

    void setMetadata(String name, String value) {
        reload();
        metadata.setProperty(name, value);
        StringWriter text = new StringWriter();
        try {
            metadata.store(text, "doublelock lab PKI: which host name each leaf was made for");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pem.write(dir.resolve(METADATA), text.toString());
    }

    /** True if the private key signs what the public key verifies. */
    static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) return false;
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> publicKey.getAlgorithm();
        };
        try {
            byte[] probe = "doublelock key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

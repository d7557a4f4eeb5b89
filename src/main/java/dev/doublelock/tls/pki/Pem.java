package dev.doublelock.tls.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM text for certificates ({@code CERTIFICATE}) and unencrypted private keys ({@code PRIVATE
 * KEY}, PKCS#8; reading also accepts OpenSSL's {@code RSA PRIVATE KEY} and {@code EC PRIVATE KEY}).
 * Keys come back as JDK keys (SunRsaSign/SunEC), certificates as the JDK's X.509 implementation.
 * Bad input is an {@link IllegalArgumentException} that says what was expected.
 */
public final class Pem {
    /** Files larger than this are refused: no PEM a lab or a trust store needs comes close. */
    static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks, in the given order. */
    public static String encode(X509Certificate... certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                out.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
            }
        }
        return out.toString();
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks, in list order. */
    public static String encode(List<X509Certificate> certificates) {
        return encode(certificates.toArray(X509Certificate[]::new));
    }

    /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    public static String encode(PrivateKey key) {
        byte[] der = key.getEncoded();
        if (der == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("key " + key.getAlgorithm() + " has no PKCS#8 encoding (format "
                    + key.getFormat() + "); use a software key from KeyPairGenerator");
        }
        return block("PRIVATE KEY", der);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Every {@code CERTIFICATE} block in the file, in file order; other blocks are skipped. */
    public static List<X509Certificate> readCertificates(Path file) {
        return readCertificates(readText(file), file.toString());
    }

    /** Every {@code CERTIFICATE} block in the text, in order; other blocks are skipped. */
    public static List<X509Certificate> readCertificates(String pem) {
        return readCertificates(pem, "the given text");
    }

    private static List<X509Certificate> readCertificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read PEM certificates from " + source + ": " + e.getMessage()
                    + "; expected blocks like -----BEGIN CERTIFICATE-----", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + source
                    + "; expected at least one -----BEGIN CERTIFICATE----- block");
        }
        return List.copyOf(certificates);
    }

    /** The first private key in the file (PKCS#8, or OpenSSL's traditional RSA/EC format). */
    public static PrivateKey readPrivateKey(Path file) {
        return readPrivateKey(readText(file), file.toString());
    }

    /** The first private key in the text (PKCS#8, or OpenSSL's traditional RSA/EC format). */
    public static PrivateKey readPrivateKey(String pem) {
        return readPrivateKey(pem, "the given text");
    }

    private static PrivateKey readPrivateKey(String pem, String source) {
        Object found = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null && found == null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair
                        || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    found = object;
                }
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (found instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            if (found instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read a private key from " + source + ": " + e.getMessage()
                    + "; expected an unencrypted -----BEGIN PRIVATE KEY----- block", e);
        }
        if (found != null) {
            throw new IllegalArgumentException("the private key in " + source + " is encrypted; "
                    + "decrypt it first, e.g. openssl pkey -in KEY -out PLAIN");
        }
        throw new IllegalArgumentException("no private key in " + source
                + "; expected an unencrypted -----BEGIN PRIVATE KEY----- block");
    }

    /**
     * Writes the text atomically (temporary file, then rename). Text containing a private key is
     * written with owner-only permissions (0600) where the file system has POSIX permissions.
     */
    public static void write(Path file, String text) {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        boolean secret = text.contains("PRIVATE KEY-----");
        try {
            Files.createDirectories(dir);
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            Path temp = posix && secret
                    ? Files.createTempFile(dir, ".pem-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".pem-", ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.US_ASCII);
                if (posix && !secret) Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
                try {
                    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + absolute + ": " + e.getMessage()
                    + "; check that the directory exists and is writable", e);
        }
    }

    private static String readText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_FILE_BYTES + " bytes; that is no PEM file");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

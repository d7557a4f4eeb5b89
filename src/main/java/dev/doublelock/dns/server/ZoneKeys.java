package dev.doublelock.dns.server;

import dev.doublelock.tls.pki.Pem;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A zone's DNSSEC signing keys, both ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605): a key-signing key (flags
 * 257, SEP), which signs the DNSKEY RRset and whose DS the parent publishes, and a zone-signing key (flags 256),
 * which signs every other RRset. {@link #combined(KeyPair)} makes one key both (a CSK).
 *
 * <p>{@link #loadOrCreate(Path)} keeps them as {@code ksk.pem} and {@code zsk.pem} (PKCS#8 private key and
 * SubjectPublicKeyInfo public key, mode 0600) so that a restarted server signs with the same keys and the
 * parent's DS stays valid.
 */
public final class ZoneKeys {
    /** DNSKEY flags: ZONE (256) plus SEP (1) for the key-signing key. */
    public static final int KSK_FLAGS = 257;
    public static final int ZSK_FLAGS = 256;

    private static final Pattern PUBLIC_BLOCK =
            Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private final KeyPair ksk;
    private final KeyPair zsk;

    private ZoneKeys(KeyPair ksk, KeyPair zsk) {
        this.ksk = ksk;
        this.zsk = zsk;
    }

    /** Fresh KSK and ZSK, kept in memory only. */
    public static ZoneKeys generate() {
        return new ZoneKeys(newKey(), newKey());
    }

    /** One key as both KSK and ZSK (a combined signing key, flags 257). */
    public static ZoneKeys combined(KeyPair key) {
        return new ZoneKeys(key, key);
    }

    /** The keys in {@code dir} ({@code ksk.pem}, {@code zsk.pem}), created there on first use. */
    public static synchronized ZoneKeys loadOrCreate(Path dir) {
        Path kskFile = dir.resolve("ksk.pem");
        Path zskFile = dir.resolve("zsk.pem");
        if (!Files.exists(kskFile) || !Files.exists(zskFile)) {
            ZoneKeys fresh = generate();
            write(zskFile, fresh.zsk);
            write(kskFile, fresh.ksk); // the KSK last: its presence means both are complete
            return fresh;
        }
        return new ZoneKeys(read(kskFile), read(zskFile));
    }

    public static KeyPair newKey() {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate ECDSA P-256 keys", e);
        }
    }

    public boolean isCombined() {
        return ksk == zsk;
    }

    /** The KSK's DNSKEY record for {@code origin}. */
    public DNSKEYRecord kskRecord(Name origin, long ttl) {
        return dnskey(origin, ttl, KSK_FLAGS, ksk.getPublic());
    }

    /** The ZSK's DNSKEY record for {@code origin} (the KSK's when combined). */
    public DNSKEYRecord zskRecord(Name origin, long ttl) {
        return isCombined() ? kskRecord(origin, ttl) : dnskey(origin, ttl, ZSK_FLAGS, zsk.getPublic());
    }

    /** The DS record of the KSK with a SHA-256 digest (digest type 2), as the parent zone publishes it. */
    public DSRecord ds(Name origin, long ttl) {
        return new DSRecord(origin, DClass.IN, ttl, DSRecord.SHA256_DIGEST_ID, kskRecord(origin, ttl));
    }

    PrivateKey kskPrivate() {
        return ksk.getPrivate();
    }

    PrivateKey zskPrivate() {
        return zsk.getPrivate();
    }

    private static DNSKEYRecord dnskey(Name origin, long ttl, int flags, PublicKey key) {
        try {
            return new DNSKEYRecord(origin, DClass.IN, ttl, flags, DNSKEYRecord.Protocol.DNSSEC,
                    DNSSEC.Algorithm.ECDSAP256SHA256, key);
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot encode the DNSKEY of " + origin, e);
        }
    }

    private static void write(Path file, KeyPair key) {
        String pub = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Pem.write(file, Pem.encode(key.getPrivate()) + pub);
    }

    private static KeyPair read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the zone key " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PUBLIC_BLOCK.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no -----BEGIN PUBLIC KEY----- block in the zone key " + file
                    + "; delete ksk.pem and zsk.pem there to make new keys (the parent's DS must then be replaced)");
        }
        try {
            PublicKey pub = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1))));
            if (!(pub instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("the zone key " + file + " is not an ECDSA P-256 key");
            }
            return new KeyPair(pub, Pem.readPrivateKey(file));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the public key in " + file + ": " + e.getMessage(), e);
        }
    }
}

package dev.doublelock.policy.dane;

import dev.doublelock.dns.TlsaRecord;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Matches TLSA records against a presented certificate chain as RFC 7672 prescribes for SMTP:
 * only DANE-TA(2) and DANE-EE(3) are usable; PKIX-TA(0) and PKIX-EE(1) are ignored (§3.1.3).
 * DANE-EE matches the leaf only, with no name or validity-date checks (§3.1.1); DANE-TA matches a
 * non-leaf certificate of the chain, after which the caller checks the leaf's names (§3.1.2).
 */
public final class TlsaMatcher {
    private TlsaMatcher() {
    }

    public static DaneResult match(List<TlsaRecord> records, List<X509Certificate> chain) {
        List<TlsaRecord> usable = records.stream().filter(TlsaMatcher::usable).toList();
        if (usable.isEmpty()) {
            return new DaneResult.NoUsableRecords();
        }
        for (TlsaRecord record : usable) {
            int first = record.usage() == 3 ? 0 : 1;
            int last = record.usage() == 3 ? Math.min(1, chain.size()) : chain.size();
            for (int i = first; i < last; i++) {
                if (matches(record, chain.get(i))) {
                    return new DaneResult.Matched(record, i, record.usage() == 2);
                }
            }
        }
        return new DaneResult.Mismatch(usable.size(), chain.size());
    }

    /** DANE-TA or DANE-EE, selector 0 or 1, matching type 0/1/2 with data of the right length. */
    public static boolean usable(TlsaRecord r) {
        boolean usage = r.usage() == 2 || r.usage() == 3;
        boolean selector = r.selector() == 0 || r.selector() == 1;
        int length = r.data().length;
        boolean matching = switch (r.matchingType()) {
            case 0 -> length > 0;
            case 1 -> length == 32;
            case 2 -> length == 64;
            default -> false;
        };
        return usage && selector && matching;
    }

    private static boolean matches(TlsaRecord record, X509Certificate cert) {
        byte[] selected = selected(record.selector(), cert);
        byte[] digest = switch (record.matchingType()) {
            case 0 -> selected;
            case 1 -> digest("SHA-256", selected);
            case 2 -> digest("SHA-512", selected);
            default -> throw new IllegalArgumentException("unusable matching type " + record.matchingType());
        };
        return MessageDigest.isEqual(digest, record.data());
    }

    private static byte[] selected(int selector, X509Certificate cert) {
        try {
            return selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded: " + e.getMessage(), e);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}

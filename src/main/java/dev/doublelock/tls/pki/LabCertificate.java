package dev.doublelock.tls.pki;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The lab's certificates, each with exactly one deliberate defect (docs/design.md, "Lab profiles").
 * "As GOOD" means: ECDSA P-256 key, CN and SAN = the lab host name (for {@code localhost} also
 * IP SANs 127.0.0.1 and ::1), signed SHA256withECDSA by the lab intermediate, EKU serverAuth, key
 * usage digitalSignature, valid from one hour before creation for 397 days.
 */
public enum LabCertificate {
    /** No defect. Chain [leaf, intermediate]; the intermediate is signed RSASSA-PSS by the lab CA. */
    GOOD("good"),
    /** As GOOD with an RSA 3072 key (key usage also keyEncipherment), for static-RSA suites. */
    GOOD_RSA("good-rsa"),
    /** As GOOD but self-signed (SHA256withECDSA, basicConstraints CA:false). Chain [leaf]. */
    SELF_SIGNED("self-signed"),
    /**
     * As GOOD but issued by "doublelock untrusted root", a second CA nobody is told to trust.
     * Chain [leaf, that root], the way many servers also send their root.
     */
    UNTRUSTED_ROOT("untrusted-root"),
    /** As GOOD but the server sends only [leaf], not the intermediate that signed it. */
    MISSING_INTERMEDIATE("missing-intermediate"),
    /** As GOOD but valid from 60 days before creation until 30 days before creation. */
    EXPIRED("expired"),
    /** As GOOD but valid only from 10 years after creation, for one year. */
    NOT_YET_VALID("not-yet-valid"),
    /** As GOOD but CN and the only SAN are {@code abc.xy}. */
    WRONG_HOST("wrong-host"),
    /** As GOOD but signed SHA1withRSA directly by the lab CA. Chain [leaf]. */
    SHA1_SIGNATURE("sha1-signature"),
    /** As GOOD but with a 1024-bit RSA key (key usage also keyEncipherment). */
    RSA_1024("rsa-1024"),
    /**
     * As GOOD but without a subjectAltName extension: the host name is only in the subject CN. RFC 9525 (which
     * obsoletes RFC 6125) no longer uses the CN-ID, CA/B Forum baseline requirements demand a SAN, and browsers
     * refuse such certificates; a client that still falls back to the CN accepts it.
     */
    CN_ONLY("cn-only"),
    /**
     * As GOOD but the only SAN (and the CN) is the wildcard {@code *.deep.<host>}, which the profile's reference
     * name {@code a.b.deep.<host>} ({@link LabPki#referenceName(LabCertificate)}) is two labels below. RFC 9525 §6.3
     * and RFC 6125 §6.4.3: a wildcard stands for exactly one label, so it must not match; lax matchers that let
     * {@code *} span dots (or that match by suffix) accept it. No IP SANs, so a client that matches the IP
     * address instead of the name does not pass by accident.
     */
    WILDCARD_TOO_DEEP("wildcard-too-deep"),
    /** As GOOD but signed MD5withRSA directly by the lab CA. Chain [leaf]. */
    MD5_SIGNATURE("md5-signature"),
    /**
     * What {@code faketime '1970-01-01 00:00:00' openssl req -newkey rsa:1024 -x509 -sha1 -days 1
     * -nodes -subj "/C=DE/ST=Saxony/L=Chemnitz/O=CA/OU=CA/CN=abc.xy"} makes: self-signed RSA 1024,
     * SHA1withRSA, valid 1970-01-01 to 1970-01-02, that subject, no SAN, and only the extensions
     * openssl adds by default (SKI, AKI, basicConstraints critical CA:true).
     */
    SHAME("shame"),
    /**
     * As GOOD, with the names of the lab zone's DANE scenario MX hosts as further DNS SANs ({@link
     * LabPki#nameMxHosts}), so that a sender can check the name against the MX host as DANE-TA(2) and PKIX require
     * (RFC 7672 §3.2.3). Without such names it is GOOD under another file name.
     */
    MX_NAMES("mx-names");

    private final String fileStem;

    LabCertificate(String fileStem) {
        this.fileStem = fileStem;
    }

    /** The file-name stem, e.g. {@code good}, {@code good-rsa}, {@code missing-intermediate}. */
    public String fileStem() {
        return fileStem;
    }

    /** The certificate whose {@link #fileStem()} is {@code stem} (case-insensitive). */
    public static LabCertificate fromFileStem(String stem) {
        String wanted = stem.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.fileStem.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown lab certificate '" + stem + "'; use one of "
                        + Arrays.stream(values()).map(LabCertificate::fileStem).collect(Collectors.joining(", "))));
    }

    /** True for the certificates that are meant to be inside their validity period. */
    boolean meantToBeValid() {
        return this != EXPIRED && this != NOT_YET_VALID && this != SHAME;
    }

    /** True for the certificates whose names depend on the lab host name. */
    boolean dependsOnHostName() {
        return this != WRONG_HOST && this != SHAME;
    }
}

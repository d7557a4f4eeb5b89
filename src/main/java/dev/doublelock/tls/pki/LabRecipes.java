package dev.doublelock.tls.pki;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How each lab certificate is made (docs/design.md "Lab profiles"). Every method takes the creation
 * time, so validity periods are relative to it.
 */
final class LabRecipes {
    static final String CA_SUBJECT = "/CN=doublelock lab CA";
    static final String INTERMEDIATE_SUBJECT = "/CN=doublelock lab intermediate";
    static final String UNTRUSTED_ROOT_SUBJECT = "/CN=doublelock untrusted root";
    static final String PSS_SHA256 = "SHA256withRSAandMGF1";
    static final String WRONG_HOST = "abc.xy";
    static final String SHAME_SUBJECT = "/C=DE/ST=Saxony/L=Chemnitz/O=CA/OU=CA/CN=abc.xy";

    /**
     * The CRL distribution point of the lab's leaves, as a public CA's leaves have one (RFC 5280 §4.2.1.13; the checker's
     * NO_REVOCATION_INFO). A reserved name (RFC 2606): nothing serves it, and nothing in the lab checks revocation.
     */
    static final String CRL_URL = "http://pki.doublelock.invalid/lab-ca.crl";

    /** Certificates start this long before their creation, so a slightly slow client clock accepts them. */
    static final Duration BACKDATING = Duration.ofHours(1);
    /** Leaves that are meant to be valid last this long (CA/B's 398-day ceiling, minus a day of margin). */
    static final Duration LEAF_LIFETIME = Duration.ofDays(397);

    private LabRecipes() {
    }

    static CertifiedKey ca(Instant now) {
        return new CertificateBuilder().rsa(3072).subject(CA_SUBJECT).certificateAuthority(-1)
                .validity(now.minus(BACKDATING), years(now, 10)).signatureAlgorithm(PSS_SHA256).build();
    }

    /** ECDSA P-256, CA:true pathLen 0, signed RSASSA-PSS by the CA; its chain is just itself. */
    static CertifiedKey intermediate(CertifiedKey ca, Instant now) {
        Instant until = years(now, 5);
        if (until.isAfter(ca.leaf().getNotAfter().toInstant())) until = ca.leaf().getNotAfter().toInstant();
        CertifiedKey issued = new CertificateBuilder().ecdsa("secp256r1").subject(INTERMEDIATE_SUBJECT).certificateAuthority(0)
                .validity(now.minus(BACKDATING), until).signatureAlgorithm(PSS_SHA256).issuer(ca).build();
        return onlyLeaf(issued);
    }

    static CertifiedKey untrustedRoot(Instant now) {
        return new CertificateBuilder().ecdsa("secp256r1").subject(UNTRUSTED_ROOT_SUBJECT).certificateAuthority(0)
                .validity(now.minus(BACKDATING), years(now, 10)).signatureAlgorithm("SHA256withECDSA").build();
    }

    /**
     * The leaf {@code which} for {@code host}, signed by {@code issuer} (the lab intermediate, the
     * lab CA for SHA1_SIGNATURE and MD5_SIGNATURE, the untrusted root for UNTRUSTED_ROOT; ignored for self-signed ones).
     */
    /** A GOOD-style leaf for {@code dnsNames} (the first is the CN), issued by {@code issuer}. */
    static CertifiedKey namedLeaf(List<String> dnsNames, CertifiedKey issuer, Instant now) {
        return new CertificateBuilder().ecdsa("secp256r1").subject("/CN=" + dnsNames.get(0))
                .dnsNames(dnsNames.toArray(String[]::new))
                .validity(now.minus(BACKDATING), now.plus(LEAF_LIFETIME)).signatureAlgorithm("SHA256withECDSA")
                .revocationUrls(CRL_URL, null).issuer(issuer).build();
    }

    static CertifiedKey leaf(LabCertificate which, LabHost host, CertifiedKey issuer, Instant now) {
        CertificateBuilder good = new CertificateBuilder().ecdsa("secp256r1").subject("/CN=" + host.name())
                .dnsNames(host.dnsNames().toArray(String[]::new)).ipAddresses(host.ipAddresses().toArray(String[]::new))
                .validity(now.minus(BACKDATING), now.plus(LEAF_LIFETIME)).signatureAlgorithm("SHA256withECDSA")
                .revocationUrls(CRL_URL, null);
        return switch (which) {
            case GOOD, UNTRUSTED_ROOT, MX_NAMES -> good.issuer(issuer).build();
            case GOOD_RSA -> good.rsa(3072).issuer(issuer).build();
            case SELF_SIGNED -> good.build();
            case MISSING_INTERMEDIATE -> onlyLeaf(good.issuer(issuer).build());
            case EXPIRED -> good.validity(now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(30))).issuer(issuer).build();
            case NOT_YET_VALID -> good.validity(years(now, 10), years(now, 11)).issuer(issuer).build();
            case WRONG_HOST -> good.subject("/CN=" + WRONG_HOST).dnsNames(WRONG_HOST).ipAddresses().issuer(issuer).build();
            case SHA1_SIGNATURE -> onlyLeaf(good.signatureAlgorithm("SHA1withRSA").issuer(issuer).build());
            case RSA_1024 -> good.rsa(1024).issuer(issuer).build();
            case CN_ONLY -> good.dnsNames().ipAddresses().issuer(issuer).build();
            case WILDCARD_TOO_DEEP -> good.subject("/CN=" + host.deepWildcard()).dnsNames(host.deepWildcard()).ipAddresses()
                    .issuer(issuer).build();
            case MD5_SIGNATURE -> onlyLeaf(good.signatureAlgorithm("MD5withRSA").issuer(issuer).build());
            case SHAME -> new CertificateBuilder().rsa(1024).subject(SHAME_SUBJECT).opensslReqStyle()
                    .validity(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(1))).signatureAlgorithm("SHA1withRSA").build();
        };
    }

    private static CertifiedKey onlyLeaf(CertifiedKey key) {
        return key.withChain(List.of(key.leaf()));
    }

    private static Instant years(Instant now, int years) {
        return now.atOffset(ZoneOffset.UTC).plusYears(years).toInstant().truncatedTo(ChronoUnit.SECONDS);
    }
}

package dev.doublelock.lab;

import dev.doublelock.finding.FindingCode;
import dev.doublelock.tls.TlsVersion;
import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.doublelock.finding.FindingCode.*;

/**
 * The lab's endpoints: each presents one defect (the names are part of the CLI contract, see
 * docs/design.md "Lab profiles"). A sending system that delivers to a defect profile has failed that test.
 */
public enum LabProfile {
    GOOD("good", LabCertificate.GOOD, Tls.MODERN, StartTls.OFFERED,
            "none: lab-CA-signed ECDSA P-256 leaf, SHA-256, TLS 1.2+1.3, BSI-listed suites and groups only", List.of()),
    SELF_SIGNED("self-signed", LabCertificate.SELF_SIGNED, Tls.MODERN, StartTls.OFFERED,
            "self-signed leaf certificate", List.of(UNKNOWN_ISSUER)),
    UNTRUSTED_ROOT("untrusted-root", LabCertificate.UNTRUSTED_ROOT, Tls.MODERN, StartTls.OFFERED,
            "leaf issued by a second CA nobody trusts", List.of(UNKNOWN_ISSUER)),
    MISSING_INTERMEDIATE("missing-intermediate", LabCertificate.MISSING_INTERMEDIATE, Tls.MODERN, StartTls.OFFERED,
            "leaf signed by an intermediate the server does not send", List.of(UNKNOWN_ISSUER)),
    EXPIRED("expired", LabCertificate.EXPIRED, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate expired (notAfter in the past)", List.of(EXPIRED_CERTIFICATE)),
    NOT_YET_VALID("not-yet-valid", LabCertificate.NOT_YET_VALID, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate valid only from the future", List.of(NOT_YET_VALID_CERTIFICATE)),
    WRONG_HOST("wrong-host", LabCertificate.WRONG_HOST, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate issued for abc.xy", List.of(BAD_CERT_DOMAIN)),
    SHA1_SIGNATURE("sha1-signature", LabCertificate.SHA1_SIGNATURE, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate signed SHA1withRSA by the lab CA", List.of(WEAK_SIGNATURE_ALGORITHM)),
    RSA_1024("rsa-1024", LabCertificate.RSA_1024, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate with a 1024-bit RSA key", List.of(WEAK_KEY)),
    TLS_1_0_ONLY("tls-1.0-only", LabCertificate.GOOD, Tls.TLS10, StartTls.OFFERED,
            "good certificate, but only TLS 1.0", List.of(PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL)),
    TLS_1_1_ONLY("tls-1.1-only", LabCertificate.GOOD, Tls.TLS11, StartTls.OFFERED,
            "good certificate, but only TLS 1.1", List.of(PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL)),
    NO_PFS("no-pfs", LabCertificate.GOOD_RSA, Tls.STATIC_RSA, StartTls.OFFERED,
            "TLS 1.2 with static-RSA key exchange suites only (no forward secrecy)", List.of(CIPHER_NOT_RECOMMENDED)),
    NO_STARTTLS("no-starttls", LabCertificate.GOOD, Tls.MODERN, StartTls.NOT_ADVERTISED,
            "never advertises STARTTLS", List.of(FindingCode.NO_STARTTLS)),
    STARTTLS_BROKEN("starttls-broken", LabCertificate.GOOD, Tls.MODERN, StartTls.REFUSED_454,
            "advertises STARTTLS, then answers 454", List.of(STARTTLS_FAILED)),
    SHAME("shame", LabCertificate.SHAME, Tls.SHAME, StartTls.OFFERED,
            "the certificate of shame: self-signed, expired 1970-01-02, CN abc.xy, RSA 1024, SHA-1, TLS 1.0 only",
            List.of(UNKNOWN_ISSUER, EXPIRED_CERTIFICATE, BAD_CERT_DOMAIN, WEAK_SIGNATURE_ALGORITHM, WEAK_KEY,
                    PROTOCOL_NOT_RECOMMENDED, NO_RECOMMENDED_PROTOCOL)),
    // Added after SHAME: new profiles only ever go at the end, so the ports of the ones above never move.
    DHE_1024("dhe-1024", LabCertificate.GOOD_RSA, Tls.DHE_1024, StartTls.OFFERED,
            "TLS 1.2 with finite-field DHE suites only, over a 1024-bit group (RFC 2409 Oakley group 2)",
            List.of(WEAK_KEY_EXCHANGE)),
    CBC_SHA1("cbc-sha1", LabCertificate.GOOD, Tls.CBC_SHA1, StartTls.OFFERED,
            "TLS 1.2 with CBC suites with a SHA-1 MAC only (TLS_ECDHE_ECDSA_WITH_AES_*_CBC_SHA)",
            List.of(CIPHER_NOT_RECOMMENDED)),
    CN_ONLY("cn-only", LabCertificate.CN_ONLY, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate without subjectAltName, the host name only in the CN (RFC 9525 ignores the CN)",
            List.of(BAD_CERT_DOMAIN)),
    WILDCARD_TOO_DEEP("wildcard-too-deep", LabCertificate.WILDCARD_TOO_DEEP, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate for *.deep.<host> only, tested as a.b.deep.<host>: a wildcard covers one label, not two",
            List.of(BAD_CERT_DOMAIN)),
    MD5_SIGNATURE("md5-signature", LabCertificate.MD5_SIGNATURE, Tls.MODERN, StartTls.OFFERED,
            "leaf certificate signed MD5withRSA by the lab CA", List.of(WEAK_SIGNATURE_ALGORITHM)),
    TLS_1_3_ONLY("tls-1.3-only", LabCertificate.GOOD, Tls.TLS13, StartTls.OFFERED,
            "none: good certificate, TLS 1.3 only (senders that cannot speak TLS 1.3 cannot reach it)", List.of()),
    STARTTLS_INJECTION("starttls-injection", LabCertificate.GOOD, Tls.MODERN, StartTls.OFFERED_EXECUTES_INJECTED,
            "good TLS, but commands pipelined in plaintext after STARTTLS are executed inside TLS (CVE-2011-0411 class): "
                    + "a server-side defect for the checker; senders should deliver (and must not pipeline after STARTTLS)",
            List.of(FindingCode.STARTTLS_INJECTION)),
    RESPONSE_INJECTION("starttls-response-injection", LabCertificate.GOOD, Tls.MODERN, StartTls.OFFERED_INJECTS_RESPONSES,
            "good TLS, but the 220 to STARTTLS comes with an injected plaintext EHLO reply (a man in the middle's "
                    + "STARTTLS response injection): senders must discard it, and fail if they act on it",
            List.of()),
    // The DANE scenarios (RFC 7672): the defect is in the lab zone's TLSA records or their DNSSEC, see DaneScenario.
    // The checker without DNS sees only the certificate, so the expected findings are the certificate's.
    DANE_EE("dane-ee", LabCertificate.SELF_SIGNED, DaneScenario.EE_MATCHING, List.of(UNKNOWN_ISSUER)),
    DANE_TA("dane-ta", LabCertificate.MX_NAMES, DaneScenario.TA_MATCHING, List.of()),
    DANE_NOT_MATCHING("dane-not-matching", LabCertificate.MX_NAMES, DaneScenario.NOT_MATCHING, List.of()),
    DANE_BROKEN_RRSIG("dane-broken-rrsig", LabCertificate.MX_NAMES, DaneScenario.BROKEN_RRSIG, List.of()),
    DANE_SERVFAIL("dane-servfail", LabCertificate.MX_NAMES, DaneScenario.SERVFAIL, List.of()),
    DANE_INSECURE("dane-insecure", LabCertificate.MX_NAMES, DaneScenario.INSECURE_ZONE, List.of()),
    DANE_NO_TLSA("dane-no-tlsa", LabCertificate.MX_NAMES, DaneScenario.NO_TLSA, List.of()),
    DANE_TA_WRONG_NAME("dane-ta-wrong-name", LabCertificate.WRONG_HOST, DaneScenario.TA_WRONG_NAME, List.of(BAD_CERT_DOMAIN)),
    DANE_EXPIRED_RRSIG("dane-expired-rrsig", LabCertificate.MX_NAMES, DaneScenario.EXPIRED_RRSIG, List.of());

    /** How STARTTLS is offered. */
    public enum StartTls {
        OFFERED, NOT_ADVERTISED, REFUSED_454,
        /** Offered, with the CVE-2011-0411 defect on purpose: plaintext pipelined after STARTTLS runs inside TLS. */
        OFFERED_EXECUTES_INJECTED,
        /** Offered, with a plaintext EHLO reply injected after the 220 (a test of senders, not of this server). */
        OFFERED_INJECTS_RESPONSES
    }

    /** The protocol versions and cipher suites an endpoint serves (JSSE names). */
    public enum Tls {
        MODERN(List.of(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2), List.of(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")),
        TLS10(List.of(TlsVersion.TLS_1_0), List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")),
        TLS11(List.of(TlsVersion.TLS_1_1), List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")),
        STATIC_RSA(List.of(TlsVersion.TLS_1_2), List.of(
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384")),
        SHAME(List.of(TlsVersion.TLS_1_0), List.of(
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA")),
        /**
         * BSI-listed DHE suites; the defect is the group. The only profile with finite-field DHE, so the lab's
         * process-wide {@code jdk.tls.ephemeralDHKeySize} (see {@link LegacyTls}) reaches no other endpoint.
         */
        DHE_1024(List.of(TlsVersion.TLS_1_2), List.of(
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")),
        CBC_SHA1(List.of(TlsVersion.TLS_1_2), List.of(
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")),
        TLS13(List.of(TlsVersion.TLS_1_3), List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"));

        private final List<TlsVersion> versions;
        private final List<String> suites;

        Tls(List<TlsVersion> versions, List<String> suites) {
            this.versions = versions;
            this.suites = suites;
        }

        public List<TlsVersion> versions() {
            return versions;
        }

        public List<String> suites() {
            return suites;
        }
    }

    /** The size of the finite-field DHE group the DHE_1024 endpoint uses. */
    public static final int DHE_GROUP_BITS = 1024;

    /**
     * Key-exchange groups every endpoint offers: only BSI-listed ones. No RFC 7919 FFDHE group, so a DHE
     * endpoint can never agree on one and always falls back to its own group ({@link #DHE_GROUP_BITS}).
     */
    public static final List<String> NAMED_GROUPS = List.of("secp256r1", "secp384r1");

    private final String profileName;
    private final LabCertificate certificate;
    private final Tls tls;
    private final StartTls startTls;
    private final String defects;
    private final List<FindingCode> expectedFindings;
    private final DaneScenario dane;

    LabProfile(String profileName, LabCertificate certificate, Tls tls, StartTls startTls, String defects,
               List<FindingCode> expectedFindings) {
        this(profileName, certificate, tls, startTls, defects, expectedFindings, null);
    }

    /** A DANE scenario: modern TLS with STARTTLS, the defect (if any) in DNS. */
    LabProfile(String profileName, LabCertificate certificate, DaneScenario dane, List<FindingCode> expectedFindings) {
        this(profileName, certificate, Tls.MODERN, StartTls.OFFERED, "DANE: " + dane.description()
                + "; a sender must " + dane.expectation().words(), expectedFindings, dane);
    }

    private LabProfile(String profileName, LabCertificate certificate, Tls tls, StartTls startTls, String defects,
                       List<FindingCode> expectedFindings, DaneScenario dane) {
        this.dane = dane;
        this.profileName = profileName;
        this.certificate = certificate;
        this.tls = tls;
        this.startTls = startTls;
        this.defects = defects;
        this.expectedFindings = expectedFindings;
    }

    /** The CLI/contract name, e.g. "tls-1.0-only". */
    public String profileName() {
        return profileName;
    }

    public LabCertificate certificate() {
        return certificate;
    }

    public Tls tls() {
        return tls;
    }

    public StartTls startTls() {
        return startTls;
    }

    public String defects() {
        return defects;
    }

    /** The defect in a few words, for sentences such as "delivered to 2 of 5 defective endpoints: expired certificate, …". */
    public String shortDefect() {
        return switch (this) {
            case GOOD, TLS_1_3_ONLY -> "none";
            case STARTTLS_INJECTION -> "executes commands injected before TLS (server side)";
            case RESPONSE_INJECTION -> "plaintext reply injected before TLS (tests the sender)";
            case SELF_SIGNED -> "self-signed certificate";
            case UNTRUSTED_ROOT -> "certificate from an untrusted CA";
            case MISSING_INTERMEDIATE -> "incomplete chain (missing intermediate)";
            case EXPIRED -> "expired certificate";
            case NOT_YET_VALID -> "certificate not yet valid";
            case WRONG_HOST -> "certificate for another host";
            case SHA1_SIGNATURE -> "SHA-1 signature";
            case RSA_1024 -> "1024-bit RSA key";
            case TLS_1_0_ONLY -> "TLS 1.0 only";
            case TLS_1_1_ONLY -> "TLS 1.1 only";
            case NO_PFS -> "no forward secrecy (static RSA)";
            case NO_STARTTLS -> "no STARTTLS";
            case STARTTLS_BROKEN -> "STARTTLS refused (454)";
            case SHAME -> "the certificate of shame (every defect at once)";
            case DHE_1024 -> "1024-bit DH group";
            case CBC_SHA1 -> "CBC suites with SHA-1 MAC only";
            case CN_ONLY -> "host name only in the CN";
            case WILDCARD_TOO_DEEP -> "wildcard spanning two labels";
            case MD5_SIGNATURE -> "MD5 signature";
            case DANE_EE -> "DANE-EE: a self-signed leaf its TLSA record matches";
            case DANE_TA -> "DANE-TA: the TLSA record matches the issuing CA";
            case DANE_NOT_MATCHING -> "DANE: no TLSA record matches";
            case DANE_BROKEN_RRSIG -> "DANE: the TLSA signature is broken (bogus)";
            case DANE_SERVFAIL -> "DANE: the TLSA lookup fails (SERVFAIL)";
            case DANE_INSECURE -> "DANE: TLSA in an unsigned zone (to be ignored)";
            case DANE_NO_TLSA -> "DANE: securely no TLSA record";
            case DANE_TA_WRONG_NAME -> "DANE-TA: the leaf names neither the MX host nor the domain";
            case DANE_EXPIRED_RRSIG -> "DANE: the TLSA signature has expired (bogus)";
        };
    }

    /** The DANE scenario this profile is, if it is one. */
    public Optional<DaneScenario> dane() {
        return Optional.ofNullable(dane);
    }

    /**
     * What a careful sender does here: for a DANE scenario what RFC 7672 requires of a DANE sender; otherwise deliver
     * to a {@link #isGood() good} profile and refuse a defect.
     */
    public SenderExpectation expectation() {
        if (dane != null) return dane.expectation();
        return isGood() ? SenderExpectation.DELIVER : SenderExpectation.REFUSE;
    }

    /** Finding codes the checker must report for this endpoint (empty: compliant). */
    public List<FindingCode> expectedFindings() {
        return expectedFindings;
    }

    /** Codes the checker may report in addition (TLS 1.0/1.1 have only legacy suites). */
    public List<FindingCode> toleratedFindings() {
        return tls == Tls.TLS10 || tls == Tls.TLS11 || tls == Tls.SHAME ? List.of(CIPHER_NOT_RECOMMENDED) : List.of();
    }

    /**
     * The profiles a sender should deliver to (with TLS): no defect, or only one on the server's side that no
     * sender can see in the TLS it gets (starttls-injection); and the DANE scenarios where RFC 7672 lets it deliver.
     */
    public boolean isGood() {
        if (dane != null) return dane.expectation().delivers();
        return (startTls == StartTls.OFFERED || startTls == StartTls.OFFERED_EXECUTES_INJECTED
                || startTls == StartTls.OFFERED_INJECTS_RESPONSES)
                && expectedFindings.stream().allMatch(c -> c == FindingCode.STARTTLS_INJECTION);
    }

    /**
     * The name a sender or the checker should expect from this endpoint when the lab host name is
     * {@code labHost}: the host name itself, except for wildcard-too-deep ({@code a.b.deep.<host>}).
     */
    public String referenceName(String labHost) {
        return LabPki.referenceName(certificate, labHost);
    }

    /**
     * The profiles whose test is the TLS their endpoint presents: all but the DANE scenarios, whose test is in the lab's
     * DNS (a sender or checker that reaches them by address, without the lab zone, sees only a certificate).
     */
    public static List<LabProfile> tlsProfiles() {
        return Arrays.stream(values()).filter(p -> p.dane == null).toList();
    }

    public static Optional<LabProfile> byName(String name) {
        return Arrays.stream(values()).filter(p -> p.profileName.equalsIgnoreCase(name)).findFirst();
    }

    @Override
    public String toString() {
        return profileName;
    }
}
